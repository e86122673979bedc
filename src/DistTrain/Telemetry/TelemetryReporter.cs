using DistTrain.Distributed;
using DistTrain.Protocol;
using DistTrain.Protocol.V1;
using Grpc.Core;

namespace DistTrain.Telemetry;

/// <summary>
/// Sends the rank's <see cref="RankTelemetry"/> to the coordinator about once a <c>interval</c> (or as
/// rarely as the coordinator asks), from a background task: the training thread never waits for it.
/// A coordinator that does not answer costs a dropped report and one line on standard error per
/// outage; training goes on.
/// </summary>
internal sealed class TelemetryReporter : IAsyncDisposable
{
    /// <summary>How long one report may take before it is dropped.</summary>
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(2);

    private readonly CoordinatorTelemetryClient _client;
    private readonly Func<RankTelemetry> _take;
    private readonly TextWriter _log;
    private readonly int _rank;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private TimeSpan _interval;
    private bool _failing;

    public TelemetryReporter(CoordinatorTelemetryClient client, int rank, TimeSpan interval, Func<RankTelemetry> take, TextWriter log)
    {
        _client = client;
        _rank = rank;
        _interval = interval;
        _take = take;
        _log = log;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Stops the loop and sends a last report (at most <see cref="SendTimeout"/>), so that the final step is seen.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        await SendAsync(CancellationToken.None).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        try
        {
            while (true)
            {
                await Task.Delay(_interval, _stop.Token).ConfigureAwait(false);
                await SendAsync(_stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task SendAsync(CancellationToken cancellationToken)
    {
        try
        {
            var asked = await _client.ReportAsync(_take(), SendTimeout, cancellationToken).ConfigureAwait(false);
            if (asked > _interval) _interval = asked;
            if (_failing)
            {
                _failing = false;
                await _log.WriteLineAsync($"[telemetry] rank {_rank}: reports reach the coordinator again.").ConfigureAwait(false);
            }
        }
        catch (RpcException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping while a report was in flight (Grpc.Net.Client says Cancelled, not OperationCanceledException):
            // the final report follows in DisposeAsync.
        }
        catch (RpcException ex)
        {
            if (!_failing)
            {
                _failing = true;
                await _log.WriteLineAsync(
                    $"[telemetry] rank {_rank}: the coordinator did not take a telemetry report ({ex.StatusCode}: {ex.Status.Detail}); training goes on and reports are dropped until it answers.").ConfigureAwait(false);
            }
        }
    }
}
