using System.Diagnostics;
using DistTrain.Checkpoints;

namespace DistTrain.Distributed.Tests.Checkpoints;

/// <summary>When the loop checkpoints: steps, wall time, the end, and a real SIGUSR1 that only sets a flag.</summary>
public sealed class CheckpointTriggersTests
{
    [Fact]
    public void Every_n_steps_and_at_the_end_but_not_in_between()
    {
        using var triggers = new CheckpointTriggers { EveryNSteps = 10 };

        var saves = Enumerable.Range(1, 25).Where(step => triggers.ShouldSave(step, last: step == 25)).ToList();

        Assert.Equal([10, 20, 25], saves);
    }

    [Fact]
    public void Every_interval_of_wall_time_counted_from_the_last_save()
    {
        var time = new ManualTime();
        using var triggers = new CheckpointTriggers(time) { Every = TimeSpan.FromMinutes(5) };

        time.Advance(TimeSpan.FromMinutes(4));
        var early = triggers.ShouldSave(1);
        time.Advance(TimeSpan.FromMinutes(1));
        var due = triggers.ShouldSave(2);
        time.Advance(TimeSpan.FromMinutes(1));
        var after = triggers.ShouldSave(3);

        Assert.Equal((false, true, false), (early, due, after));
    }

    [Fact]
    public async Task A_real_SIGUSR1_sets_the_flag_instead_of_ending_the_process_and_the_next_check_saves_once()
    {
        using var triggers = new CheckpointTriggers();
        triggers.HandleSignals();

        using (var kill = Process.Start("kill", ["-USR1", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
            Assert.Equal(0, kill.ExitCode);
        }

        for (var i = 0; i < 200 && triggers.SignalReceived == 0; i++)
            await Task.Delay(10);

        Assert.Equal(CheckpointTriggers.SigUsr1, triggers.SignalReceived);
        Assert.False(triggers.StopRequested);
        Assert.True(triggers.ShouldSave(7));
        Assert.False(triggers.ShouldSave(8));
    }

    private sealed class ManualTime : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
