namespace DistTrain.Rpc.Protocol;

/// <summary>Names and values the gRPC-over-HTTP/2 protocol fixes.</summary>
internal static class GrpcProtocol
{
    public const string ContentType = "application/grpc";
    public const string StatusHeader = "grpc-status";
    public const string MessageHeader = "grpc-message";
    public const string TimeoutHeader = "grpc-timeout";
    public const string EncodingHeader = "grpc-encoding";
    public const string AcceptEncodingHeader = "grpc-accept-encoding";

    /// <summary>The encodings this library reads; it always sends identity.</summary>
    public const string SupportedEncodings = "identity,gzip,deflate";

    public const string UserAgent = "grpc-dotnet-disttrain/1.0";

    /// <summary>Headers that belong to the protocol or to HTTP and are never shown as metadata.</summary>
    public static bool IsReservedHeader(string name) =>
        name.StartsWith(':')
        || name.Equals("content-type", StringComparison.OrdinalIgnoreCase)
        || name.Equals("content-length", StringComparison.OrdinalIgnoreCase)
        || name.Equals("te", StringComparison.OrdinalIgnoreCase)
        || name.Equals("host", StringComparison.OrdinalIgnoreCase)
        || name.Equals(StatusHeader, StringComparison.OrdinalIgnoreCase)
        || name.Equals(MessageHeader, StringComparison.OrdinalIgnoreCase)
        || name.Equals(TimeoutHeader, StringComparison.OrdinalIgnoreCase)
        || name.Equals(EncodingHeader, StringComparison.OrdinalIgnoreCase)
        || name.Equals(AcceptEncodingHeader, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether a content-type is gRPC's: <c>application/grpc</c>, optionally with a <c>+proto</c> suffix or parameters.</summary>
    public static bool IsGrpcContentType(string? contentType)
    {
        if (contentType is null || !contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase))
            return false;
        if (contentType.Length == ContentType.Length)
            return true;
        var next = contentType[ContentType.Length];
        return next is '+' or ';';
    }

    /// <summary>The status a client reports for a response whose HTTP status is not 200 (gRPC's HTTP-to-gRPC mapping).</summary>
    public static StatusCode FromHttpStatus(int httpStatus) => httpStatus switch
    {
        400 => StatusCode.Internal,
        401 => StatusCode.Unauthenticated,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.Unimplemented,
        429 or 502 or 503 or 504 => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };

    /// <summary>Parses a <c>grpc-status</c> value; anything that is not a known code reads as <see cref="StatusCode.Unknown"/>.</summary>
    public static StatusCode ParseStatus(string value) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code)
        && code is >= 0 and <= 16
            ? (StatusCode)code
            : StatusCode.Unknown;
}
