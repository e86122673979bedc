using DistTrain.Checkpointing;
using DistTrain.Checkpoints;
using DistTrain.Distributed.Tests.Harness;
using DistTrain.Protocol.DataPlan;
using DistTrain.Protocol.V1;
using DistTrain.Tests.Shared;
using DataPlanPosition = DistTrain.Checkpointing.DataPlanPosition;

namespace DistTrain.Distributed.Tests.Checkpoints;

/// <summary>Saving and resuming through an in-process coordinator that commits: two ranks, one writer, a resume into a fresh model.</summary>
[Collection(TorchGeneratorCollection.Name)]
public sealed class CoordinatedCheckpointerTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "disttrain-coordinated-" + Guid.NewGuid().ToString("N"));
    private readonly ListLogger _log = new();

    public void Dispose()
    {
        if (Directory.Exists(_dir))
            Directory.Delete(_dir, recursive: true);
    }

    private CheckpointOptions Options => new() { Directory = _dir, Logger = _log };

    private CoordinatedCheckpointer Rank(TestCoordinator coordinator, TorchSharp.torch.nn.Module model, TorchSharp.Modules.OptimizerHelper optimizer, int rank) =>
        new(new Checkpointer(model, optimizer, Options, rank, worldSize: 2), coordinator.Client.Checkpoints, Options);

    [Fact]
    public async Task Two_ranks_save_through_the_coordinator_and_a_fresh_model_resumes_bitwise_from_what_it_committed()
    {
        await using var coordinator = await TestCoordinator.StartAsync(workers: 2, checkpointDir: _dir);
        await coordinator.Client.DataPlans.RegisterAsync(new DatasetPlan { Name = "train", Seed = 3, Size = 64, GlobalBatch = 8, Shuffle = true });
        var model = Training.Model(seed: 1);
        var optimizer = Training.Optimizer("adam", model);
        var replica = Training.Model(seed: 1);
        var replicaOptimizer = Training.Optimizer("adam", replica);
        Training.Steps(model, optimizer, 3);
        using var rank0 = Rank(coordinator, model, optimizer, 0);
        using var rank1 = Rank(coordinator, replica, replicaOptimizer, 1);

        var progress = new CheckpointProgress { Epoch = 0, DataPlan = new DataPlanPosition(0, 24, 3) { Dataset = "train" } };
        var saves = new[] { rank0.SaveAsync(3, progress), rank1.SaveAsync(3, progress) };
        await Task.WhenAll(saves);
        var saved = Training.Weights(model);
        Training.Steps(model, optimizer, 2);
        var expected = Training.Weights(model);

        var fresh = Training.Model(seed: 9);
        var freshOptimizer = Training.Optimizer("adam", fresh);
        using var resumer = Rank(coordinator, fresh, freshOptimizer, 0);
        var resumed = await resumer.ResumeAsync();
        Assert.Equal(saved, Training.Weights(fresh));
        Training.Steps(fresh, freshOptimizer, 2);

        Assert.Equal(3, resumed!.Step);
        Assert.Equal(["model.safetensors", "optimizer.safetensors"], resumed.Manifest.Files.Select(f => f.Name).Order());
        Assert.Equal([0, 1], resumed.Manifest.RngStates.Select(r => r.Rank));
        Assert.Equal(expected, Training.Weights(fresh));
        Assert.Equal(new PlanPosition(0, 24), (await coordinator.Client.DataPlans.GetAsync("train")).Position.ToPosition());
        Assert.NotNull(rank0.Latest ?? rank1.Latest);
    }

    [Fact]
    public async Task With_nothing_committed_resume_returns_null_and_leaves_the_model_alone()
    {
        await using var coordinator = await TestCoordinator.StartAsync(workers: 1, checkpointDir: _dir);
        var model = Training.Model(seed: 4);
        var before = Training.Weights(model);
        using var checkpoints = new CoordinatedCheckpointer(new Checkpointer(model, null, Options), coordinator.Client.Checkpoints, Options);

        Assert.Null(await checkpoints.ResumeAsync());
        Assert.Equal(before, Training.Weights(model));
    }
}
