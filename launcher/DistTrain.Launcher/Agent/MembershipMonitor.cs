using DistTrain.Protocol;
using DistTrain.Protocol.V1;
using Grpc.Core;

namespace DistTrain.Launcher.Agent;

/// <summary>
/// Keeps this node alive in one round (heartbeats at the world's interval) and says when the round is
/// over for it: the coordinator asks it to join again, the watch stream reports the round reopened, or
/// the coordinator stayed unreachable for longer than a dead node's allowance.
/// </summary>
public sealed class MembershipMonitor : IAsyncDisposable
{
    private readonly CoordinatorClient _client;
    private readonly string _nodeId;
    private readonly World _world;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<string> _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _heartbeats;
    private readonly Task _watch;

    /// <summary>Starts heartbeating and watching for <paramref name="world"/>.</summary>
    public MembershipMonitor(CoordinatorClient client, string nodeId, World world)
    {
        _client = client;
        _nodeId = nodeId;
        _world = world;
        _heartbeats = Task.Run(HeartbeatLoopAsync);
        _watch = Task.Run(WatchLoopAsync);
    }

    /// <summary>Completes, with the reason, when the round's membership changed and the workers must restart.</summary>
    public Task<string> MembershipChanged => _changed.Task;

    /// <summary>Completes, with the reason, when the coordinator could not be reached for too long.</summary>
    public Task<string> CoordinatorLost => _lost.Task;

    private TimeSpan Interval => _world.HeartbeatInterval?.ToTimeSpan() is { } t && t > TimeSpan.Zero ? t : TimeSpan.FromSeconds(5);

    private async Task HeartbeatLoopAsync()
    {
        var lastSuccess = DateTimeOffset.UtcNow;
        var allowance = Interval * Math.Max(2, _world.HeartbeatMisses) * 2;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var answer = await _client.HeartbeatAsync(_nodeId, _world.Round, Interval, _stop.Token).ConfigureAwait(false);
                lastSuccess = DateTimeOffset.UtcNow;
                if (answer.RejoinRequired)
                {
                    _changed.TrySetResult($"the coordinator moved on to round {answer.CurrentRound}");
                }
            }
            catch (RpcException ex) when (!_stop.IsCancellationRequested)
            {
                if (DateTimeOffset.UtcNow - lastSuccess > allowance)
                {
                    _lost.TrySetResult($"no heartbeat reached the coordinator for {allowance.TotalSeconds:0} s ({ex.StatusCode}: {ex.Status.Detail})");
                }
            }
            catch (Exception ex) when (_stop.IsCancellationRequested && ex is RpcException or OperationCanceledException)
            {
                return;
            }

            try
            {
                await Task.Delay(Interval, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task WatchLoopAsync()
    {
        try
        {
            await foreach (var e in _client.WatchAsync(_nodeId, _stop.Token).ConfigureAwait(false))
            {
                switch (e.EventCase)
                {
                    case WatchEvent.EventOneofCase.RoundReopened when e.RoundReopened.PreviousRound >= _world.Round:
                        _changed.TrySetResult($"round {e.RoundReopened.PreviousRound} reopened: {e.RoundReopened.Reason}");
                        break;
                    case WatchEvent.EventOneofCase.RoundClosed when e.Round > _world.Round:
                        _changed.TrySetResult($"round {e.Round} closed without this node");
                        break;
                    case WatchEvent.EventOneofCase.Snapshot when e.Round > _world.Round:
                        _changed.TrySetResult($"the job is already at round {e.Round}");
                        break;
                }
            }
        }
        catch (RpcException)
        {
            // Heartbeats carry on and notice a lost coordinator.
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Stops heartbeating and watching. The calls in flight end with CANCELLED because this monitor
    /// cancelled them: that is the orderly end of the round, never a failure, so it does not surface.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await StoppedAsync(_heartbeats).ConfigureAwait(false);
        await StoppedAsync(_watch).ConfigureAwait(false);
        _stop.Dispose();
    }

    private static async Task StoppedAsync(Task loop)
    {
        try
        {
            await loop.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException || (ex is RpcException rpc && rpc.StatusCode == StatusCode.Cancelled))
        {
            // Cancelled by _stop, which only this monitor cancels.
        }
    }
}
