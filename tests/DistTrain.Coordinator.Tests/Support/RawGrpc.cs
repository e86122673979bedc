using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using DistTrain.Rpc;

namespace DistTrain.Coordinator.Tests.Support;

/// <summary>Sends hand-made gRPC requests (bad bytes, cut frames, unknown paths) and reads the status back.</summary>
internal static class RawGrpc
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false });

    /// <summary>Frames <paramref name="message"/> as one gRPC message: flag 0, big-endian length, bytes.</summary>
    public static byte[] Frame(byte[] message, int? declaredLength = null)
    {
        var frame = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)(declaredLength ?? message.Length));
        message.CopyTo(frame, 5);
        return frame;
    }

    public static async Task<(StatusCode Status, string Message)> PostAsync(string address, string path, byte[] body, string? token = TestServer.Token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(address), path))         {
            Content = new ByteArrayContent(body),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("authorization", $"Bearer {token}");
        }

        using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
        var status = Header(response.Headers, "grpc-status") ?? Header(response.TrailingHeaders, "grpc-status")
            ?? throw new InvalidOperationException($"No grpc-status in the response (HTTP {(int)response.StatusCode}).");
        var message = Header(response.Headers, "grpc-message") ?? Header(response.TrailingHeaders, "grpc-message") ?? "";
        return ((StatusCode)int.Parse(status), Uri.UnescapeDataString(message));
    }

    private static string? Header(HttpHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
