using System.Text.Json;
using DistTrain.Rpc.Tests.Client;
using DistTrain.Rpc.Tests.Support;

namespace DistTrain.Rpc.Tests.Interop;

/// <summary>Debian's python3-grpcio calls a DistTrain server: the protocol as a real gRPC client speaks it.</summary>
public sealed class GrpcioClientTests : IAsyncLifetime
{
    private TestServer _server = null!;

    private string Target => $"127.0.0.1:{_server.Port}";

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(requireToken: true);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Grpcio_unary_call_succeeds_with_metadata_and_trailers()
    {
        var result = await RunAsync("say", "--token", TestServer.Token);

        Assert.Equal("OK", result.GetProperty("code").GetString());
        Assert.Equal("from grpcio", result.GetProperty("text").GetString());
        var metadata = result.GetProperty("metadata").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("x-lang=python", metadata);
        Assert.Contains("blob-bin=" + Convert.ToBase64String([0, 1, 0xfe]), metadata);
        Assert.StartsWith("ipv4:127.0.0.1:", result.GetProperty("peer").GetString());
        Assert.Equal("said", result.GetProperty("trailers").GetProperty("echo-trailer").GetString());
    }

    [Fact]
    public async Task Grpcio_server_streaming_call_gets_every_message()
    {
        var result = await RunAsync("count", "--token", TestServer.Token);

        Assert.Equal("OK", result.GetProperty("code").GetString());
        Assert.Equal([0, 1, 2, 3, 4], result.GetProperty("indexes").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public async Task Grpcio_call_to_an_unregistered_method_gets_UNIMPLEMENTED()
    {
        var result = await RunAsync("unimplemented", "--token", TestServer.Token);

        Assert.Equal("UNIMPLEMENTED", result.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Grpcio_call_past_its_deadline_gets_DEADLINE_EXCEEDED_and_the_handler_is_cancelled()
    {
        var result = await RunAsync("deadline", "--token", TestServer.Token);

        Assert.Equal("DEADLINE_EXCEEDED", result.GetProperty("code").GetString());
        await _server.Echo.HandlerCancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Grpcio_call_without_a_token_gets_UNAUTHENTICATED()
    {
        var result = await RunAsync("say");

        Assert.Equal("UNAUTHENTICATED", result.GetProperty("code").GetString());
        Assert.Equal("A valid bearer token is required.", result.GetProperty("details").GetString());
    }

    [Fact]
    public async Task Grpcio_call_with_a_wrong_token_gets_UNAUTHENTICATED()
    {
        var result = await RunAsync("say", "--token", "Bearer guess");

        Assert.Equal("UNAUTHENTICATED", result.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Grpcio_gets_the_handlers_error_status_and_message()
    {
        var result = await RunAsync("fail", "--token", TestServer.Token);

        Assert.Equal("NOT_FOUND", result.GetProperty("code").GetString());
        Assert.Equal("no such key: k", result.GetProperty("details").GetString());
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    public async Task Grpcio_compressed_request_is_decoded(string encoding)
    {
        var result = await RunAsync("say-" + encoding, "--token", TestServer.Token);

        Assert.Equal("OK", result.GetProperty("code").GetString());
        Assert.Equal(new string('z', 5000), result.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Grpcio_malformed_request_gets_INTERNAL_and_the_server_keeps_serving()
    {
        var result = await RunAsync("malformed", "--token", TestServer.Token);

        Assert.Equal("INTERNAL", result.GetProperty("code").GetString());
        Assert.Contains("Failed to parse the request message", result.GetProperty("details").GetString());
        Assert.Equal("OK", (await RunAsync("say", "--token", TestServer.Token)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Grpcio_calls_over_TLS_succeed()
    {
        using var certificate = TlsTests.SelfSignedLocalhost();
        await using var server = await TestServer.StartAsync(certificate: certificate);
        var pem = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(pem, certificate.ExportCertificatePem());
            var result = await RunAtAsync($"127.0.0.1:{server.Port}", "say", "--ca", pem);

            Assert.Equal("OK", result.GetProperty("code").GetString());
            Assert.Equal("from grpcio", result.GetProperty("text").GetString());
        }
        finally
        {
            File.Delete(pem);
        }
    }

    private Task<JsonElement> RunAsync(string scenario, params string[] options) => RunAtAsync(Target, scenario, options);

    private static async Task<JsonElement> RunAtAsync(string target, string scenario, params string[] options)
    {
        using var client = PythonPeer.Start("echo_client.py", [target, scenario, .. options]);
        var line = await client.ReadLineAsync(TimeSpan.FromSeconds(30));
        return JsonDocument.Parse(line).RootElement.Clone();
    }
}
