using DistTrain.Tests.Shared;
using System.Collections.Concurrent;
using DistTrain.Protocol;
using DistTrain.Protocol.V1;

namespace DistTrain.Launcher.Tests.Support;

/// <summary>
/// A real <c>disttrain coordinator</c> process on a free port, and a watch stream on it that keeps
/// every membership event, so a test can see who joined and who left, and why.
/// </summary>
internal sealed class CoordinatorProcess : IAsyncDisposable
{
    private const string Token = "signal-test-token";
    private readonly LauncherProcess _process;
    private readonly CoordinatorClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<WatchEvent> _events = new();
    private readonly Task _watch;

    private CoordinatorProcess(LauncherProcess process, int port)
    {
        _process = process;
        Endpoint = $"127.0.0.1:{port}";
        _client = new CoordinatorClient($"http://{Endpoint}", Token);
        _watch = Task.Run(WatchAsync);
    }

    /// <summary>Where agents reach it.</summary>
    public string Endpoint { get; }

    /// <summary>The environment that gives an agent the job's token.</summary>
    public IReadOnlyDictionary<string, string?> TokenVariable { get; } = new Dictionary<string, string?> { ["DISTTRAIN_TOKEN"] = Token };

    /// <summary>Starts a coordinator for a job of <paramref name="nodes"/> nodes and waits until it listens.</summary>
    public static async Task<CoordinatorProcess> StartAsync(int nodes)
    {
        var port = TestPorts.Free();
        var process = LauncherProcess.Start(["coordinator", "--port", $"{port}", "--nnodes", $"{nodes}"], new Dictionary<string, string?> { ["DISTTRAIN_TOKEN"] = Token });
        await process.WaitForAsync(() => process.Stdout.Contains("Coordinator listening", StringComparison.Ordinal), TimeSpan.FromSeconds(120), "the coordinator to listen");
        return new CoordinatorProcess(process, port);
    }

    /// <summary>Waits until the open round has exactly <paramref name="count"/> joined nodes, as a fresh snapshot says.</summary>
    public async Task WaitForJoinedAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var joined = -1;
        while (DateTime.UtcNow < deadline)
        {
            await foreach (var e in _client.WatchAsync("test-snapshot"))
            {
                joined = e.Snapshot?.JoinedNodes ?? -1;
                break;
            }

            if (joined == count)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"The coordinator had {joined} joined node(s), not {count}, after {timeout.TotalSeconds} s.\n{_process.Output}");
    }

    /// <summary>Waits until the watch stream reported a node that left with <paramref name="reason"/>.</summary>
    public async Task WaitForLeftAsync(string reason, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!_events.Any(e => e.NodeLeft?.Reason == reason))
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"No node left with reason '{reason}'; events: {string.Join("; ", _events)}");
            }

            await Task.Delay(100);
        }
    }

    private async Task WatchAsync()
    {
        try
        {
            await foreach (var e in _client.WatchAsync("test-watch", _stop.Token))
            {
                _events.Enqueue(e);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or Grpc.Core.RpcException)
        {
            // The test is over, or the coordinator stopped.
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watch;
        _client.Dispose();
        _process.Dispose();
        _stop.Dispose();
    }
}
