using DistTrain.Protocol.DataPlan;

namespace DistTrain.Coordinator.Tests.Protocol.DataPlan;

/// <summary>
/// The split of the rest of an epoch over a world: every id exactly once over the ranks, also when the
/// world changes mid-epoch, with the same number of steps on every rank.
/// </summary>
public sealed class EpochScheduleTests
{
    public static TheoryData<long, long, int> SizesBatchesWorlds()
    {
        var data = new TheoryData<long, long, int>();
        foreach (var size in new long[] { 1, 2, 7, 10, 64, 101, 1000 })
        foreach (var batch in new long[] { 1, 3, 8, 32, size }.Distinct())
        foreach (var world in new[] { 1, 2, 3, 4, 5, 8 })
        {
            if (batch <= size && world <= batch) data.Add(size, batch, world);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SizesBatchesWorlds))]
    public void Over_an_epoch_the_ranks_read_every_id_exactly_once_in_the_same_number_of_steps(long size, long batch, int world)
    {
        var plan = new DataPlanSpec(seed: 11, size, batch);
        var schedules = Ranks(plan, PlanPosition.Start, world);

        var expectedSteps = (size + batch - 1) / batch;
        Assert.All(schedules, s => Assert.Equal(expectedSteps, s.StepCount));
        AssertExactlyOnce(size, schedules.SelectMany(s => s.Ids()));
        for (var step = 0L; step < expectedSteps; step++)
        {
            var global = step < expectedSteps - 1 ? batch : size - (expectedSteps - 1) * batch;
            var sizes = schedules.Select(s => s.LocalSize(step)).ToArray();
            Assert.All(schedules, s => Assert.Equal(global, s.GlobalSize(step)));
            Assert.Equal(global, sizes.Sum());
            Assert.True(sizes.Max() - sizes.Min() <= 1, $"step {step}: parts {string.Join(", ", sizes)} differ by more than one");
            Assert.All(schedules, s => Assert.Equal(s.LocalSize(step), s.StepIds(step).Length));
        }
    }

    [Fact]
    public void The_steps_follow_the_epochs_order_each_step_split_into_contiguous_parts_in_rank_order()
    {
        var plan = new DataPlanSpec(seed: 5, size: 23, globalBatch: 6);
        var order = plan.Order(0);
        var schedules = Ranks(plan, PlanPosition.Start, 4);

        var read = new List<long>();
        for (var step = 0L; step < 4; step++)
        {
            read.AddRange(schedules.SelectMany(s => s.StepIds(step)));
        }

        Assert.Equal(Enumerable.Range(0, 23).Select(p => order[p]), read);
    }

    [Theory]
    [InlineData(3, 2)]
    [InlineData(2, 3)]
    [InlineData(4, 1)]
    [InlineData(1, 5)]
    public void When_the_world_changes_mid_epoch_the_new_world_reads_exactly_the_rest(int before, int after)
    {
        var plan = new DataPlanSpec(seed: 3, size: 103, globalBatch: 12);
        var first = Ranks(plan, PlanPosition.Start, before);
        for (var stepsDone = 0L; stepsDone <= first[0].StepCount; stepsDone++)
        {
            var done = first.SelectMany(s => Enumerable.Range(0, (int)stepsDone).SelectMany(step => s.StepIds(step)));
            var position = first[0].PositionAfter(stepsDone);
            Assert.All(first, s => Assert.Equal(position, s.PositionAfter(stepsDone))); // every rank agrees on the position

            var rest = position.Epoch == 0 ? Ranks(plan, position, after).SelectMany(s => s.Ids()) : [];

            AssertExactlyOnce(103, done.Concat(rest));
        }
    }

    [Fact]
    public void Three_ranks_then_two_then_three_again_in_one_epoch_read_every_id_once()
    {
        var plan = new DataPlanSpec(seed: 8, size: 50, globalBatch: 6);
        var read = new List<long>();
        var position = PlanPosition.Start;
        foreach (var (world, steps) in new[] { (3, 2L), (2, 3L), (3, long.MaxValue) })
        {
            var schedules = Ranks(plan, position, world);
            var run = Math.Min(steps, schedules[0].StepCount);
            read.AddRange(schedules.SelectMany(s => Enumerable.Range(0, (int)run).SelectMany(step => s.StepIds(step))));
            position = schedules[0].PositionAfter(run);
        }

        AssertExactlyOnce(50, read);
        Assert.Equal(new PlanPosition(1, 0), position);
    }

    [Fact]
    public void Resuming_at_the_last_partial_step_gives_its_ids_once_and_an_empty_part_to_the_ranks_beyond_them()
    {
        var plan = new DataPlanSpec(seed: 2, size: 10, globalBatch: 4);
        var order = plan.Order(0);
        var schedules = Ranks(plan, new PlanPosition(0, 8), 3);

        Assert.All(schedules, s => Assert.Equal(1, s.StepCount));
        Assert.All(schedules, s => Assert.Equal(2, s.GlobalSize(0)));
        Assert.Equal([1L, 1, 0], schedules.Select(s => s.LocalSize(0)));
        Assert.Empty(schedules[2].StepIds(0));
        Assert.Equal([order[8], order[9]], schedules.SelectMany(s => s.Ids()));
        Assert.Equal(new PlanPosition(1, 0), schedules[0].PositionAfter(1));
    }

    [Fact]
    public void A_complete_epoch_is_the_start_of_the_next_whose_order_differs()
    {
        var plan = new DataPlanSpec(seed: 4, size: 40, globalBatch: 8);
        var end = new EpochSchedule(plan, new PlanPosition(2, 40), 2, 0);
        var next = new EpochSchedule(plan, new PlanPosition(3, 0), 2, 0);

        Assert.Equal(new PlanPosition(3, 0), end.Position);
        Assert.Equal(next.Ids(), end.Ids());
        Assert.NotEqual(new EpochSchedule(plan, new PlanPosition(2, 0), 2, 0).Ids(), next.Ids());
    }

    [Fact]
    public void The_same_inputs_give_the_same_ids_on_every_call()
    {
        var plan = new DataPlanSpec(seed: 9, size: 77, globalBatch: 10);
        var once = new EpochSchedule(plan, new PlanPosition(1, 20), 3, 1);

        Assert.Equal(once.Ids().ToArray(), once.Ids().ToArray());
        Assert.Equal(once.Ids(), new EpochSchedule(plan, new PlanPosition(1, 20), 3, 1).Ids());
    }

    [Fact]
    public void Another_seed_gives_the_ranks_other_ids()
    {
        var position = PlanPosition.Start;
        var a = new EpochSchedule(new DataPlanSpec(seed: 1, size: 200, globalBatch: 20), position, 2, 0).Ids();
        var b = new EpochSchedule(new DataPlanSpec(seed: 2, size: 200, globalBatch: 20), position, 2, 0).Ids();

        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Arguments_that_break_a_rule_are_refused_with_the_value_and_the_rule()
    {
        var plan = new DataPlanSpec(seed: 1, size: 10, globalBatch: 4);

        Assert.Contains("world size (5) must be in [1, 4]", Assert.Throws<ArgumentOutOfRangeException>(() => new EpochSchedule(plan, default, 5, 0)).Message);
        Assert.Contains("rank (2) must be in [0, 1]", Assert.Throws<ArgumentOutOfRangeException>(() => new EpochSchedule(plan, default, 2, 2)).Message);
        Assert.Contains("consumed (11) must be in [0, 10]", Assert.Throws<ArgumentOutOfRangeException>(() => new EpochSchedule(plan, new PlanPosition(0, 11), 2, 0)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new EpochSchedule(plan, default, 2, 0).StepIds(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EpochSchedule(plan, default, 2, 0).PositionAfter(4));
        Assert.Contains("global batch (11) must be in [1, 10]", Assert.Throws<ArgumentOutOfRangeException>(() => new DataPlanSpec(1, 10, 11)).Message);
        Assert.Contains("dataset size (0) must be at least 1", Assert.Throws<ArgumentOutOfRangeException>(() => new DataPlanSpec(1, 0, 1)).Message);
    }

    private static EpochSchedule[] Ranks(DataPlanSpec plan, PlanPosition position, int world) =>
        Enumerable.Range(0, world).Select(rank => new EpochSchedule(plan, position, world, rank)).ToArray();

    private static void AssertExactlyOnce(long size, IEnumerable<long> ids) =>
        Assert.Equal(Enumerable.Range(0, (int)size).Select(i => (long)i), ids.Order());
}
