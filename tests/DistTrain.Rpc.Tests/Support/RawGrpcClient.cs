using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using DistTrain.Rpc.Tests.Echo;
using Google.Protobuf;

namespace DistTrain.Rpc.Tests.Support;

/// <summary>
/// Sends hand-made HTTP/2 requests, bytes and headers exactly as given, so tests can feed a
/// server what a well-behaved client never would.
/// </summary>
internal sealed class RawGrpcClient : IDisposable
{
    private readonly HttpMessageInvoker _invoker = new(new SocketsHttpHandler { UseProxy = false });
    private readonly Uri _address;

    public RawGrpcClient(string address) => _address = new Uri(address);

    /// <summary>One frame around <paramref name="payload"/>: flag, big-endian length, bytes.</summary>
    public static byte[] Frame(byte[] payload, bool compressed = false, int? declaredLength = null)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)(declaredLength ?? payload.Length));
        payload.CopyTo(frame, 5);
        return frame;
    }

    public static byte[] Frame(IMessage message) => Frame(message.ToByteArray());

    public Task<RawResponse> SendAsync(string path, byte[] body, IDictionary<string, string>? headers = null, string contentType = "application/grpc") =>
        SendAsync(path, new ByteArrayContent(body), headers, contentType);

    public async Task<RawResponse> SendAsync(string path, HttpContent content, IDictionary<string, string>? headers = null, string contentType = "application/grpc")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_address, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            request.Headers.TryAddWithoutValidation(name, value);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var response = await _invoker.SendAsync(request, timeout.Token);
        var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
        return new RawResponse(response, body);
    }

    public void Dispose() => _invoker.Dispose();
}

/// <summary>What came back: HTTP status, the gRPC status from headers (trailers-only) or trailers, and the messages.</summary>
internal sealed class RawResponse
{
    public RawResponse(HttpResponseMessage response, byte[] body)
    {
        HttpStatus = (int)response.StatusCode;
        Headers = response.Headers.NonValidated.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        Trailers = response.TrailingHeaders.NonValidated.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        Body = body;
        TrailersOnly = Headers.ContainsKey("grpc-status");
        var status = TrailersOnly ? Headers["grpc-status"] : Trailers.GetValueOrDefault("grpc-status");
        Status = status is null ? null : (StatusCode)int.Parse(status);
        var message = TrailersOnly ? Headers.GetValueOrDefault("grpc-message") : Trailers.GetValueOrDefault("grpc-message");
        Message = Uri.UnescapeDataString(message ?? "");
    }

    public int HttpStatus { get; }

    public IReadOnlyDictionary<string, string> Headers { get; }

    public IReadOnlyDictionary<string, string> Trailers { get; }

    public byte[] Body { get; }

    public bool TrailersOnly { get; }

    public StatusCode? Status { get; }

    public string Message { get; }

    /// <summary>The messages of the body, unframed and parsed.</summary>
    public List<EchoReply> Replies()
    {
        var replies = new List<EchoReply>();
        for (var at = 0; at < Body.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(Body.AsSpan(at + 1));
            replies.Add(EchoReply.Parser.ParseFrom(Body.AsSpan(at + 5, length)));
            at += 5 + length;
        }
        return replies;
    }
}
