using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DistTrain.Coordinator.Membership;

/// <summary>
/// Runs <see cref="IHeartbeatMonitor.Sweep"/> several times per heartbeat interval, so a death is
/// detected within a fraction of an interval after the node's allowance runs out.
/// </summary>
internal sealed class HeartbeatSweeper(IOptions<CoordinatorOptions> options, IHeartbeatMonitor monitor, TimeProvider time) : BackgroundService
{
    /// <summary>How many sweeps run per heartbeat interval.</summary>
    public const int SweepsPerInterval = 5;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Heartbeat.Interval / SweepsPerInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                monitor.Sweep();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
