using DistTrain.Coordinator.Membership;
using DistTrain.Coordinator.Rendezvous;
using DistTrain.Coordinator.Tests.Support;

namespace DistTrain.Coordinator.Tests.Membership;

public sealed class HeartbeatSweeperTests
{
    [Fact]
    public async Task Sweeper_detects_a_death_within_a_fifth_of_an_interval_and_watchers_hear_of_it()
    {
        using var domain = new Domain(minNodes: 1, maxNodes: 1);
        await domain.CloseWith("a");
        domain.Monitor.Heartbeat("a", 1);
        using var sweeper = new HeartbeatSweeper(Microsoft.Extensions.Options.Options.Create(domain.Options), domain.Monitor, domain.Time);
        await sweeper.StartAsync(CancellationToken.None);
        // BackgroundService runs ExecuteAsync on the thread pool: fake time advanced before the sweeper's timer
        // exists would be lost, so wait (real time) until it is armed.
        var sweeps = domain.Options.Heartbeat.Interval / HeartbeatSweeper.SweepsPerInterval;
        await Polling.UntilAsync(() => domain.Time.ArmedTimersWithPeriod(sweeps) == 1, "the sweeper to arm its timer");
        using var watch = domain.Rendezvous.Watch();

        // Dead after 15 s of silence; the sweeper runs every second.
        for (var i = 0; i < 15; i++)
        {
            domain.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }

        Assert.False(watch.Events.TryRead(out _));
        await AdvanceUntil(domain, () => domain.Rendezvous.Current.State == RoundState.Open, step: TimeSpan.FromSeconds(1), limit: TimeSpan.FromSeconds(1));
        Assert.IsType<NodeDiedEvent>(await watch.Events.ReadAsync());
        await sweeper.StopAsync(CancellationToken.None);
    }

    // The sweeper's loop resumes on the thread pool after each tick; give it time to run at each step.
    private static async Task AdvanceUntil(Domain domain, Func<bool> done, TimeSpan step, TimeSpan limit)
    {
        for (var elapsed = step; elapsed <= limit; elapsed += step)
        {
            domain.Time.Advance(step);
            // Up to 30 s of real time per step, so a slow or loaded machine cannot make the fake clock run
            // ahead of the sweeper; the limit that matters is the fake one.
            var realLimit = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!done() && DateTime.UtcNow < realLimit)
            {
                await Task.Delay(2);
            }

            if (done())
            {
                return;
            }
        }

        Assert.Fail($"Nothing happened within {limit} of fake time.");
    }
}
