using System.Globalization;
using DistTrain.Protocol;
using DistTrain.Protocol.Telemetry;
using DistTrain.Protocol.V1;
using Grpc.Core;

namespace DistTrain.Launcher.Agent;

/// <summary>
/// Asks the coordinator for the job's telemetry about once a second while workers run: the progress
/// line shows the step and samples/s, and the agent logs a rank the coordinator names stuck, a
/// straggler or failed (with its host, pid and the reason), and when it recovers. A coordinator that does
/// not answer is simply asked again; the workers' supervision does not depend on it. The first rank of
/// this node that the coordinator keeps naming stuck in the watched round for the given time completes
/// <see cref="Stuck"/>, once.
/// </summary>
internal sealed class TelemetryWatch : IAsyncDisposable
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(2);

    private readonly CoordinatorTelemetryClient _client;
    private readonly TimeSpan _interval;
    private readonly Action<string> _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<int, RankHealth> _health = [];
    private readonly TaskCompletionSource<RankStatus> _stuck = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ulong _round;
    private readonly Func<int, bool> _isLocalRank;
    private readonly StuckDuration _stuckDuration;
    private readonly Task _loop;
    private volatile GetTelemetryResponse? _latest;

    /// <summary>Starts watching.</summary>
    /// <param name="client">The coordinator's telemetry client.</param>
    /// <param name="interval">How often to ask.</param>
    /// <param name="log">Where the agent's lines go.</param>
    /// <param name="round">The round this node's workers run in: only its ranks are judged.</param>
    /// <param name="isLocalRank">Whether a global rank is one of this node's workers.</param>
    /// <param name="stuckFor">How long one of them must stay named stuck to complete <see cref="Stuck"/>.</param>
    public TelemetryWatch(CoordinatorTelemetryClient client, TimeSpan interval, Action<string> log, ulong round, Func<int, bool> isLocalRank, TimeSpan stuckFor)
    {
        _client = client;
        _interval = interval;
        _log = log;
        _round = round;
        _isLocalRank = isLocalRank;
        _stuckDuration = new StuckDuration(stuckFor);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Completes with the first of this node's ranks that the coordinator has named stuck for the given time in the watched round (as of its latest view); never completes otherwise.</summary>
    public Task<RankStatus> Stuck => _stuck.Task;

    /// <summary>"step 120 · 5321 samples/s" from the latest view of <paramref name="round"/>, or null before any rank of it reported.</summary>
    public string? Progress(ulong round) =>
        _latest is { } view && view.Round == round && view.Ranks.Count > 0
            ? string.Create(CultureInfo.InvariantCulture, $"step {view.Ranks.Max(r => r.Latest.Step)} · {view.SamplesPerSecond:0} samples/s")
            : null;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>The line the agent logs when a rank's health changes; null when there is nothing to say.</summary>
    internal static string? Describe(RankStatus rank, RankHealth was)
    {
        var id = rank.Latest.Identity;
        var who = string.Create(CultureInfo.InvariantCulture, $"rank {id.Rank} ({id.Host}, pid {id.Pid}, node {id.NodeId})");
        return rank.Health switch
        {
            RankHealth.Healthy when was is RankHealth.Stuck or RankHealth.Straggler => $"{who} recovered (it was {was.ToText()}).",
            RankHealth.Stuck or RankHealth.Straggler or RankHealth.Failed => $"the coordinator names {who} {rank.Health.ToText()}: {rank.HealthReason}.",
            _ => null,
        };
    }

    private async Task RunAsync()
    {
        try
        {
            while (true)
            {
                await Task.Delay(_interval, _stop.Token).ConfigureAwait(false);
                try
                {
                    var view = await _client.GetAsync(0, CallTimeout, _stop.Token).ConfigureAwait(false);
                    _latest = view;
                    Compare(view);
                }
                catch (RpcException) when (!_stop.IsCancellationRequested)
                {
                    // Unreachable or too old to serve telemetry: nothing to show; ask again next time.
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (RpcException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private void Compare(GetTelemetryResponse view)
    {
        // Until a rank of the watched round reports, the view still holds the previous round's ranks:
        // those were judged (and logged) by the previous group's watch.
        foreach (var rank in view.Ranks.Where(r => r.Latest.Identity.Round == _round))
        {
            var id = rank.Latest.Identity.Rank;
            var was = _health.GetValueOrDefault(id, RankHealth.Healthy);
            _health[id] = rank.Health;
            if (was != rank.Health && Describe(rank, was) is { } line)
            {
                _log(line);
            }

            if (_isLocalRank(id) && _stuckDuration.Observe(id, rank.Health == RankHealth.Stuck, DateTime.UtcNow))
            {
                _stuck.TrySetResult(rank);
            }
        }
    }
}
