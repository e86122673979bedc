using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;

namespace DistTrain.Coordinator.Tests.Support;

/// <summary>
/// Sends hand-made gRPC requests (bad bytes, cut frames, unknown paths, bodies that never end) over
/// HttpClient and reads the status back, to test what the server answers to what no gRPC client sends.
/// </summary>
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

    public static Task<Response> PostAsync(string address, string path, byte[] body, string? token = TestServer.Token) =>
        PostAsync(address, path, new ByteArrayContent(body), token);

    public static async Task<Response> PostAsync(string address, string path, HttpContent body, string? token = TestServer.Token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(address), path))
        {
            Content = body,
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
        var trailersOnly = Header(response.Headers, "grpc-status") is not null;
        var status = Header(response.Headers, "grpc-status") ?? Header(response.TrailingHeaders, "grpc-status")
            ?? throw new InvalidOperationException($"No grpc-status in the response (HTTP {(int)response.StatusCode}).");
        var message = Header(response.Headers, "grpc-message") ?? Header(response.TrailingHeaders, "grpc-message") ?? "";
        return new Response((StatusCode)int.Parse(status), Uri.UnescapeDataString(message), trailersOnly);
    }

    private static string? Header(HttpHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary>What came back.</summary>
    /// <param name="Status">The gRPC status.</param>
    /// <param name="Message">The status message, decoded.</param>
    /// <param name="TrailersOnly">Whether the status came in the headers (no body was sent).</param>
    public sealed record Response(StatusCode Status, string Message, bool TrailersOnly);
}
