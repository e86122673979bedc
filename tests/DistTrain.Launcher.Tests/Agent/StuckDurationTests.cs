using DistTrain.Launcher.Agent;

namespace DistTrain.Launcher.Tests.Agent;

/// <summary>The time a rank must stay named stuck before the agent restarts its workers (<c>--stuck-restart-after</c>).</summary>
public sealed class StuckDurationTests
{
    private static readonly DateTime T0 = new(2026, 12, 3, 10, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_rank_counts_once_it_has_been_named_stuck_for_the_whole_duration()
    {
        var stuck = new StuckDuration(TimeSpan.FromSeconds(60));

        Assert.False(stuck.Observe(1, stuck: true, T0));
        Assert.False(stuck.Observe(1, stuck: true, T0.AddSeconds(59)));
        Assert.True(stuck.Observe(1, stuck: true, T0.AddSeconds(60)));
    }

    [Fact]
    public void A_view_that_names_it_anything_else_starts_the_duration_again()
    {
        var stuck = new StuckDuration(TimeSpan.FromSeconds(60));

        stuck.Observe(1, stuck: true, T0);
        Assert.False(stuck.Observe(1, stuck: false, T0.AddSeconds(30)));
        Assert.False(stuck.Observe(1, stuck: true, T0.AddSeconds(61)));
        Assert.True(stuck.Observe(1, stuck: true, T0.AddSeconds(121)));
    }

    [Fact]
    public void Each_rank_has_its_own_duration_and_zero_counts_at_the_first_view()
    {
        var later = new StuckDuration(TimeSpan.FromSeconds(60));
        later.Observe(0, stuck: true, T0);
        Assert.False(later.Observe(1, stuck: true, T0.AddSeconds(60)));

        Assert.True(new StuckDuration(TimeSpan.Zero).Observe(3, stuck: true, T0));
    }
}
