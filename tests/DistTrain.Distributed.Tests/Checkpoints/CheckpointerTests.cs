using DistTrain.Checkpointing;
using DistTrain.Checkpoints;
using DistTrain.Tests.Shared;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace DistTrain.Distributed.Tests.Checkpoints;

/// <summary>Checkpoints of TorchSharp modules and optimizers: safetensors through PyBridge, host copies, background writes.</summary>
[Collection(TorchGeneratorCollection.Name)]
public sealed class CheckpointerTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "disttrain-checkpointer-" + Guid.NewGuid().ToString("N"));
    private readonly ListLogger _log = new();

    public void Dispose()
    {
        if (Directory.Exists(_dir))
            Directory.Delete(_dir, recursive: true);
    }

    private CheckpointOptions Options(int keepLast = 3) => new() { Directory = _dir, KeepLast = keepLast, Logger = _log };

    [Theory]
    [InlineData("adam")]
    [InlineData("adamw")]
    [InlineData("sgd")]
    public void A_resumed_run_continues_bitwise_like_the_uninterrupted_one(string optimizerKind)
    {
        var model = Training.Model(seed: 1);
        var optimizer = Training.Optimizer(optimizerKind, model);
        var shuffle = new Random(5);
        var checkpointer = new Checkpointer(model, optimizer, Options());
        checkpointer.RegisterRandom("shuffle", shuffle);
        Training.Steps(model, optimizer, 5);
        shuffle.Next();
        checkpointer.Save(5, new CheckpointProgress { Epoch = 1, DataPlan = new DataPlanPosition(1, 40, 9) });
        var savedWeights = Training.Weights(model);
        Training.Steps(model, optimizer, 4);
        var expectedWeights = Training.Weights(model);
        var expectedDraw = shuffle.Next();

        var model2 = Training.Model(seed: 2);
        var optimizer2 = Training.Optimizer(optimizerKind, model2);
        var shuffle2 = new Random(77);
        var resumer = new Checkpointer(model2, optimizer2, Options());
        resumer.RegisterRandom("shuffle", shuffle2);
        var resumed = resumer.Resume()!;
        Assert.Equal(5, resumed.Step);
        Assert.Equal(new DataPlanPosition(1, 40, 9), resumed.Manifest.DataPlan);
        Assert.Equal(savedWeights, Training.Weights(model2));
        Training.Steps(model2, optimizer2, 4);

        Assert.Equal(expectedWeights, Training.Weights(model2));
        Assert.Equal(expectedDraw, shuffle2.Next());
    }

    [Fact]
    public void The_files_are_safetensors_of_the_model_and_of_the_optimizer_state_with_scalars_as_tensors()
    {
        var model = Training.Model(seed: 1);
        var optimizer = Training.Optimizer("adam", model);
        Training.Steps(model, optimizer, 2);

        new Checkpointer(model, optimizer, Options()).Save(2);

        var dir = Path.Combine(_dir, "step-000000002");
        var weights = TorchSharp.PyBridge.Safetensors.LoadStateDict(Path.Combine(dir, "model.safetensors"));
        Assert.Equal(model.state_dict().Keys.Order(), weights.Keys.Order());
        var state = TorchSharp.PyBridge.Safetensors.LoadStateDict(Path.Combine(dir, "optimizer.safetensors"));
        Assert.Equal(2L, state["state.0.step"].item<long>());
        Assert.Equal(0.01, state["param_groups.0.LearningRate"].item<double>());
        Assert.Equal(model.parameters().First().shape, state["state.0.exp_avg"].shape);
        Assert.DoesNotContain(Directory.EnumerateFiles(dir), f => f.EndsWith(".pt") || f.EndsWith(".bin"));
    }

    [Fact]
    public async Task An_async_save_writes_the_state_as_it_was_when_called_while_training_goes_on()
    {
        var model = Training.Model(seed: 3);
        var optimizer = Training.Optimizer("sgd", model);
        var checkpointer = new Checkpointer(model, optimizer, Options());
        var atSave = Training.Weights(model);

        var first = checkpointer.SaveAsync(1);
        using (no_grad())
        {
            foreach (var p in model.parameters())
                p.add_(1.0f); // the training thread changes the weights at once
        }

        await first;
        await checkpointer.SaveAsync(2); // waits for the first, then saves the changed weights

        var model1 = Training.Model(seed: 4);
        model1.load_safetensors(Path.Combine(_dir, "step-000000001", "model.safetensors"));
        Assert.Equal(atSave, Training.Weights(model1));
        Assert.Equal(2, checkpointer.Latest!.Step);
        Assert.Equal(Training.Weights(model), Training.Weights(LoadedModel(2)));
    }

    [Fact]
    public void Saves_that_reuse_the_last_host_copies_each_hold_their_own_steps_model_and_optimizer_state()
    {
        var model = Training.Model(seed: 6);
        var optimizer = Training.Optimizer("adam", model);
        var checkpointer = new Checkpointer(model, optimizer, Options()); // ReuseHostCopies is on by default
        var expected = new List<(Dictionary<string, byte[]> Model, Dictionary<string, byte[]> Optimizer)>();
        for (var save = 0; save < 3; save++)
        {
            checkpointer.Save(save);
            expected.Add((Training.Weights(model), OptimizerFile(save)));
            Training.Steps(model, optimizer, 2);
        }

        for (var save = 0; save < 3; save++)
        {
            var restored = Training.Model(seed: 7);
            restored.load_safetensors(Path.Combine(_dir, $"step-{save:D9}", "model.safetensors"));
            Assert.Equal(expected[save].Model, Training.Weights(restored));
            Assert.Equal(expected[save].Optimizer, OptimizerFile(save));
        }

        Assert.Distinct(expected.Select(e => Convert.ToHexString(e.Model.Values.SelectMany(b => b).ToArray())));
        Assert.Distinct(expected.Select(e => Convert.ToHexString(e.Optimizer["state.0.exp_avg"])));
    }

    private Dictionary<string, byte[]> OptimizerFile(int step) =>
        TorchSharp.PyBridge.Safetensors.LoadStateDict(Path.Combine(_dir, $"step-{step:D9}", "optimizer.safetensors"))
            .ToDictionary(p => p.Key, p => p.Value.bytes.ToArray());

    [Fact]
    public void A_corrupted_newest_checkpoint_is_skipped_with_one_log_line_naming_the_file()
    {
        var model = Training.Model(seed: 1);
        var checkpointer = new Checkpointer(model, null, Options());
        checkpointer.Save(1);
        var atOne = Training.Weights(model);
        using (no_grad())
            model.parameters().First().mul_(2);
        checkpointer.Save(2);
        var path = Path.Combine(_dir, "step-000000002", "model.safetensors");
        var bytes = File.ReadAllBytes(path);
        bytes[^3] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        var fresh = Training.Model(seed: 9);
        var resumed = new Checkpointer(fresh, null, Options()).Resume();

        Assert.Equal(1, resumed!.Step);
        Assert.Equal(atOne, Training.Weights(fresh));
        var line = Assert.Single(_log.Lines, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Warning).Message;
        Assert.StartsWith("Checkpoint step-000000002: model.safetensors has SHA-256 ", line);
        Assert.EndsWith("resuming from step-000000001 instead.", line);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task A_failed_background_save_reports_a_clear_error_and_the_last_good_checkpoint_still_loads()
    {
        using var disk = DistTrain.Checkpointing.Tests.Support.Tmpfs.TryMount("1m");
        var root = disk?.Path ?? _dir;
        var model = Training.Model(seed: 1, inputs: 10_000); // 640 KB of weights: one checkpoint fits in 1 MiB, two do not
        var options = new CheckpointOptions { Directory = root, Logger = _log };
        var checkpointer = new Checkpointer(model, null, options);
        checkpointer.Save(1);
        var atOne = Training.Weights(model);
        if (disk is null)
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserExecute); // not root: permissions hold

        var error = await Assert.ThrowsAsync<CheckpointWriteException>(() => checkpointer.SaveAsync(2));

        if (disk is null)
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Assert.Contains(disk is null ? "permission denied" : "the disk is full", error.Message);
        Assert.Contains("The checkpoint was discarded; the last committed checkpoint is unchanged.", error.Message);
        Assert.Contains(_log.Lines, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Error && l.Message.Contains("Checkpoint of step 2 failed"));
        var fresh = Training.Model(seed: 8, inputs: 10_000);
        Assert.Equal(1, new Checkpointer(fresh, null, options).Resume()!.Step);
        Assert.Equal(atOne, Training.Weights(fresh));
        Assert.Equal("step-000000001", checkpointer.Store.ReadLatest());
    }

    [Theory]
    [InlineData(64)]  // neither file fits: the model's and the optimizer's writes fail side by side
    [InlineData(200)] // the model file fits, the optimizer's does not
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task A_save_that_fills_the_disk_while_writing_the_model_and_optimizer_files_side_by_side_fails_and_leaves_the_last_good_checkpoint(int freeKb)
    {
        using var disk = DistTrain.Checkpointing.Tests.Support.Tmpfs.TryMount("1m");
        var root = disk?.Path ?? _dir;
        var model = Training.Model(seed: 1, inputs: 2_000); // 128 KB of weights, 384 KB of Adam (amsgrad) state
        var optimizer = Training.Optimizer("adam", model);
        Training.Steps(model, optimizer, 2, inputs: 2_000);
        var options = new CheckpointOptions { Directory = root, Logger = _log };
        var checkpointer = new Checkpointer(model, optimizer, options);
        checkpointer.Save(1);
        var atOne = Training.Weights(model);
        if (disk is null)
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserExecute); // not root: permissions hold
        else
            File.WriteAllBytes(Path.Combine(root, "filler"), new byte[new DriveInfo(root).AvailableFreeSpace - freeKb * 1024L]);
        Training.Steps(model, optimizer, 1, inputs: 2_000);

        var error = await Assert.ThrowsAsync<CheckpointWriteException>(() => checkpointer.SaveAsync(2));

        if (disk is null)
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Assert.Contains(disk is null ? "permission denied" : "the disk is full", error.Message);
        Assert.Equal(["step-000000001"], Directory.EnumerateDirectories(root).Select(Path.GetFileName));
        var fresh = Training.Model(seed: 8, inputs: 2_000);
        var freshOptimizer = Training.Optimizer("adam", fresh);
        Assert.Equal(1, new Checkpointer(fresh, freshOptimizer, options).Resume()!.Step);
        Assert.Equal(atOne, Training.Weights(fresh));
    }

    [Fact]
    public void Under_ddp_only_the_writer_rank_writes_and_the_others_resume_from_its_files()
    {
        var model = Training.Model(seed: 1);
        var writer = new Checkpointer(model, null, new CheckpointOptions { Directory = _dir, WriterRank = 1 }, rank: 1, worldSize: 2);
        var other = new Checkpointer(Training.Model(seed: 1), null, new CheckpointOptions { Directory = _dir, WriterRank = 1 }, rank: 0, worldSize: 2);

        Assert.True(other.SaveAsync(4).IsCompletedSuccessfully);
        Assert.False(Directory.Exists(_dir));
        writer.Save(4);
        var fresh = Training.Model(seed: 6);
        var resumed = new Checkpointer(fresh, null, new CheckpointOptions { Directory = _dir, WriterRank = 1 }, rank: 0, worldSize: 2).Resume();

        Assert.False(other.IsWriter);
        Assert.Equal(4, resumed!.Step);
        Assert.Equal(2, resumed.Manifest.WorldSize);
        Assert.Equal(Training.Weights(model), Training.Weights(fresh));
    }

    [Fact]
    public void Sharded_state_on_several_ranks_is_refused_until_the_coordinator_commits_it()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new Checkpointer(Training.Model(seed: 1), null, new CheckpointOptions { Directory = _dir, Sharding = CheckpointSharding.Sharded }, rank: 0, worldSize: 2));

        Assert.Contains("coordinator's two-phase commit", error.Message);
    }

    [Fact]
    public void Resuming_with_another_configuration_hash_fails_naming_both()
    {
        new Checkpointer(Training.Model(seed: 1), null, new CheckpointOptions { Directory = _dir, ConfigHash = ConfigHash.Of("lr=0.1") }).Save(1);

        var error = Assert.Throws<InvalidOperationException>(() =>
            new Checkpointer(Training.Model(seed: 1), null, new CheckpointOptions { Directory = _dir, ConfigHash = ConfigHash.Of("lr=0.2") }).Resume());

        Assert.Contains($"was written with configuration hash {ConfigHash.Of("lr=0.1")}, this run has {ConfigHash.Of("lr=0.2")}", error.Message);
    }

    private nn.Module LoadedModel(long step)
    {
        var model = Training.Model(seed: 11);
        model.load_safetensors(Path.Combine(_dir, CheckpointLayout.DirectoryName(step), "model.safetensors"));
        return model;
    }
}
