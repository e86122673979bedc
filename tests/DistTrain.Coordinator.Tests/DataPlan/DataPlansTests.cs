using DistTrain.Coordinator.DataPlan;
using DistTrain.Protocol.DataPlan;

namespace DistTrain.Coordinator.Tests.DataPlan;

/// <summary>The job's data plans without the transport: one state per name, positions that only move forward.</summary>
public sealed class DataPlansTests
{
    private static DatasetDefinition Train(long size = 1000, long globalBatch = 10, ulong seed = 1, DatasetUnit unit = DatasetUnit.Samples) =>
        new("train", new DataPlanSpec(seed, size, globalBatch), unit);

    [Fact]
    public void Concurrent_commits_leave_the_furthest_position_and_none_moves_it_back()
    {
        var plans = new DataPlans();
        plans.Register(Train());

        Parallel.For(1, 100, step =>
        {
            try
            {
                plans.Commit("train", new PlanPosition(0, step * 10));
            }
            catch (PositionBehindException)
            {
                // A further commit came first: refused, as it must be.
            }
        });

        Assert.Equal(new PlanPosition(0, 990), plans.Get("train").Position);
        Assert.Throws<PositionBehindException>(() => plans.Commit("train", new PlanPosition(0, 980)));
    }

    [Fact]
    public void A_conflicting_registration_names_every_field_that_differs_and_keeps_the_first_plan()
    {
        var plans = new DataPlans();
        plans.Register(Train());

        var error = Assert.Throws<DatasetConflictException>(() => plans.Register(Train(seed: 2, unit: DatasetUnit.Shards)));

        Assert.Contains("seed 2 was asked, 1 is registered", error.Message);
        Assert.Contains("unit Shards was asked, Samples is registered", error.Message);
        Assert.DoesNotContain("size", error.Message);
        Assert.Equal(Train(), plans.Get("train").Dataset);
    }

    [Fact]
    public void Datasets_of_other_names_keep_their_own_positions()
    {
        var plans = new DataPlans();
        plans.Register(Train());
        plans.Register(Train() with { Name = "eval" });

        plans.Commit("train", new PlanPosition(2, 30));

        Assert.Equal(PlanPosition.Start, plans.Get("eval").Position);
        Assert.Equal(new PlanPosition(2, 30), plans.Get("train").Position);
    }

    [Fact]
    public void Restore_moves_a_registered_position_backwards_to_an_older_checkpoints()
    {
        var plans = new DataPlans();
        plans.Register(Train());
        plans.Commit("train", new PlanPosition(0, 300));

        plans.Restore("train", new PlanPosition(0, 100));

        Assert.Equal(new PlanPosition(0, 100), plans.Get("train").Position);
    }

    [Fact]
    public void A_position_restored_before_registration_is_where_the_dataset_starts_when_it_registers()
    {
        var plans = new DataPlans();

        plans.Restore("train", new PlanPosition(2, 1000));
        var registration = plans.Register(Train(size: 1000));

        Assert.True(registration.Created);
        Assert.Equal(new PlanPosition(3, 0), registration.State.Position);
    }

    [Fact]
    public void Restoring_a_position_outside_the_registered_dataset_is_refused_naming_the_size()
    {
        var plans = new DataPlans();
        plans.Register(Train(size: 50, globalBatch: 10));

        var error = Assert.Throws<InvalidPositionException>(() => plans.Restore("train", new PlanPosition(0, 60)));

        Assert.Contains("[0, 50]", error.Message);
        Assert.Equal(PlanPosition.Start, plans.Get("train").Position);
    }
}
