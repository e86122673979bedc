using DistTrain.Checkpointing;
using DistTrain.Coordinator.Tests.Support;
using DistTrain.Protocol.DataPlan;
using DistTrain.Protocol.V1;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using DataPlanPosition = DistTrain.Protocol.V1.DataPlanPosition;

namespace DistTrain.Coordinator.Tests.Checkpoints;

/// <summary>The coordinator's two-phase checkpoint commit over gRPC, on a real in-process server and a real checkpoint directory.</summary>
public sealed class CheckpointServiceTests : IDisposable
{
    private readonly string _root = CheckpointWriters.TempRoot();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private Task<TestServer> StartAsync() => TestServer.StartAsync(configure: o => o.Checkpoints.Directory = _root);

    private static DatasetPlan Train() => new() { Name = "train", Seed = 7, Size = 100, GlobalBatch = 8, Shuffle = true, Unit = DataUnit.Samples };

    [Fact]
    public async Task Every_rank_of_a_step_gets_one_attempt_and_only_the_last_report_commits_with_every_ranks_rng_state()
    {
        await using var server = await StartAsync();
        var checkpoints = server.Client().Checkpoints;

        var rank0 = await checkpoints.BeginAsync(10, 2, 0);
        var rank1 = await checkpoints.BeginAsync(10, 2, 1);
        var files = CheckpointWriters.Write(_root, 10, rank0.Attempt, ("model.safetensors", [1, 2, 3])).ToList();
        var first = await checkpoints.ReportAsync(new ReportCheckpointRequest { Attempt = rank0.Attempt, Rank = 0, Files = { files } });
        var latestBetween = await checkpoints.LatestAsync();
        var second = await checkpoints.ReportAsync(new ReportCheckpointRequest { Attempt = rank0.Attempt, Rank = 1, RngStates = { ["torch"] = Google.Protobuf.ByteString.CopyFrom(9, 9) } });
        var latest = await checkpoints.LatestAsync();

        Assert.True(rank0.Created);
        Assert.False(rank1.Created);
        Assert.Equal(rank0.Attempt, rank1.Attempt);
        Assert.Equal(Path.Combine(_root, rank0.StagingName), rank0.StagingDirectory);
        Assert.False(first.Committed);
        Assert.Equal([1], first.WaitingFor);
        Assert.Null(latestBetween);
        Assert.True(second.Committed);
        Assert.Equal("step-000000010", second.Checkpoint.Name);
        Assert.Equal(second.Checkpoint, latest);
        var manifest = CheckpointVerifier.Verify(latest!.Directory).Manifest;
        Assert.Equal(2, manifest.WorldSize);
        Assert.Equal(["model.safetensors"], manifest.Files.Select(f => f.Name));
        Assert.Equal([0, 1], manifest.RngStates.Select(r => r.Rank));
        Assert.Equal(Convert.ToBase64String([9, 9]), manifest.RngStates[1].States["torch"]);
        Assert.Equal("step-000000010", File.ReadAllText(Path.Combine(_root, "latest")).Trim());
    }

    [Fact]
    public async Task A_commit_moves_the_data_plans_committed_position_to_the_checkpoints()
    {
        await using var server = await StartAsync();
        var client = server.Client();
        await client.DataPlans.RegisterAsync(Train());

        var committed = await CheckpointWriters.CheckpointAsync(client.Checkpoints, _root, step: 2, worldSize: 3, consumed: 16);

        Assert.True(committed.Committed);
        Assert.Equal("train", committed.Checkpoint.Progress.Dataset);
        Assert.Equal(new PlanPosition(0, 16), (await client.DataPlans.GetAsync("train")).Position.ToPosition());
    }

    [Fact]
    public async Task A_restarted_coordinator_recovers_the_latest_checkpoint_and_the_data_plan_position_from_disk()
    {
        await using (var first = await StartAsync())
        {
            await CheckpointWriters.CheckpointAsync(first.Client().Checkpoints, _root, step: 4, worldSize: 2, consumed: 32);
        }

        await using var restarted = await StartAsync();
        var client = restarted.Client();
        var latest = await client.Checkpoints.LatestAsync();
        var registered = await client.DataPlans.RegisterAsync(Train());

        Assert.Equal(4, latest!.Step);
        Assert.Equal(new PlanPosition(0, 32), latest.Progress.DataPlan.ToPosition());
        Assert.True(registered.Created);
        Assert.Equal(new PlanPosition(0, 32), registered.State.Position.ToPosition());
    }

    [Fact]
    public async Task A_corrupted_newest_checkpoint_makes_a_restarted_coordinator_use_the_previous_one_with_one_line_naming_the_file()
    {
        await using (var first = await StartAsync())
        {
            await CheckpointWriters.CheckpointAsync(first.Client().Checkpoints, _root, step: 4, worldSize: 1, consumed: 32);
            await CheckpointWriters.CheckpointAsync(first.Client().Checkpoints, _root, step: 8, worldSize: 1, consumed: 64);
        }

        var model = Path.Combine(_root, "step-000000008", "model.safetensors");
        var bytes = File.ReadAllBytes(model);
        bytes[0] ^= 0x01;
        File.WriteAllBytes(model, bytes);

        await using var restarted = await StartAsync();
        var latest = await restarted.Client().Checkpoints.LatestAsync();
        var registered = await restarted.Client().DataPlans.RegisterAsync(Train());

        Assert.Equal(4, latest!.Step);
        Assert.Equal(new PlanPosition(0, 32), registered.State.Position.ToPosition());
        var warning = Assert.Single(restarted.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("step-000000008"));
        Assert.Contains("model.safetensors", warning.Message);
        Assert.Contains("resuming from step-000000004 instead", warning.Message);
    }

    [Fact]
    public async Task A_commit_that_fails_is_aborted_and_keeps_the_last_good_checkpoint()
    {
        await using var server = await StartAsync();
        var checkpoints = server.Client().Checkpoints;
        await CheckpointWriters.CheckpointAsync(checkpoints, _root, step: 1, worldSize: 1);

        var attempt = await checkpoints.BeginAsync(2, 1, 0);
        var missing = new CheckpointFileInfo { Name = "model.safetensors", Size = 4, Sha256 = new string('a', 64) };
        var error = await Assert.ThrowsAsync<RpcException>(() => checkpoints.ReportAsync(new ReportCheckpointRequest { Attempt = attempt.Attempt, Rank = 0, Files = { missing } }));

        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        Assert.Contains("step-000000001 stays the latest checkpoint", error.Status.Detail);
        Assert.Equal(1, (await checkpoints.LatestAsync())!.Step);
        Assert.False(Directory.Exists(attempt.StagingDirectory));
    }

    [Fact]
    public async Task Attempts_of_two_steps_stay_open_side_by_side_and_committing_the_newer_discards_the_older()
    {
        await using var server = await StartAsync();
        var checkpoints = server.Client().Checkpoints;

        var older = await checkpoints.BeginAsync(5, 1, 0, "round-1");
        var newer = await checkpoints.BeginAsync(6, 1, 0, "round-1");
        var committed = await checkpoints.ReportAsync(new ReportCheckpointRequest { Attempt = newer.Attempt, Rank = 0 });
        var error = await Assert.ThrowsAsync<RpcException>(() => checkpoints.ReportAsync(new ReportCheckpointRequest { Attempt = older.Attempt, Rank = 0 }));

        Assert.True(older.Created && newer.Created);
        Assert.True(committed.Committed);
        Assert.Equal(6, committed.Checkpoint.Step);
        Assert.False(Directory.Exists(older.StagingDirectory));
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains(older.Attempt, error.Status.Detail);
    }

    [Fact]
    public async Task A_begin_of_the_same_step_from_another_world_discards_the_dead_worlds_attempt()
    {
        await using var server = await StartAsync();
        var checkpoints = server.Client().Checkpoints;

        var dead = await checkpoints.BeginAsync(5, 2, 0, "round-1");
        var restarted = await checkpoints.BeginAsync(5, 2, 1, "round-2");
        var error = await Assert.ThrowsAsync<RpcException>(() => checkpoints.ReportAsync(new ReportCheckpointRequest { Attempt = dead.Attempt, Rank = 0 }));

        Assert.True(restarted.Created);
        Assert.NotEqual(dead.Attempt, restarted.Attempt);
        Assert.False(Directory.Exists(dead.StagingDirectory));
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
    }

    [Fact]
    public async Task A_rank_that_begins_the_same_step_twice_was_restarted_and_opens_a_new_attempt()
    {
        await using var server = await StartAsync();
        var checkpoints = server.Client().Checkpoints;

        var before = await checkpoints.BeginAsync(5, 2, 1);
        var after = await checkpoints.BeginAsync(5, 2, 1);

        Assert.True(after.Created);
        Assert.NotEqual(before.Attempt, after.Attempt);
    }

    [Fact]
    public async Task Bad_requests_are_invalid_argument_naming_the_field_and_the_rule()
    {
        await using var server = await StartAsync();
        var checkpoints = server.Client().Checkpoints;
        var attempt = await checkpoints.BeginAsync(1, 2, 0);

        var step = await Assert.ThrowsAsync<RpcException>(() => checkpoints.BeginAsync(-1, 2, 0));
        var world = await Assert.ThrowsAsync<RpcException>(() => checkpoints.BeginAsync(1, 0, 0));
        var rank = await Assert.ThrowsAsync<RpcException>(() => checkpoints.ReportAsync(new ReportCheckpointRequest { Attempt = attempt.Attempt, Rank = 2 }));
        var sha = await Assert.ThrowsAsync<RpcException>(() => checkpoints.ReportAsync(new ReportCheckpointRequest
        {
            Attempt = attempt.Attempt, Rank = 0, Files = { new CheckpointFileInfo { Name = "model.safetensors", Size = 1, Sha256 = "abc" } },
        }));
        var empty = await Assert.ThrowsAsync<RpcException>(() => checkpoints.ReportAsync(new ReportCheckpointRequest { Rank = 0 }));

        Assert.All(new[] { step, world, rank, sha, empty }, e => Assert.Equal(StatusCode.InvalidArgument, e.StatusCode));
        Assert.StartsWith("step (-1) must not be negative", step.Status.Detail);
        Assert.StartsWith("world_size (0) must be at least 1", world.Status.Detail);
        Assert.StartsWith("rank (2) must be in [0, 1]", rank.Status.Detail);
        Assert.StartsWith("files[0].sha256 ('abc')", sha.Status.Detail);
        Assert.StartsWith("attempt must not be empty", empty.Status.Detail);
    }

    [Fact]
    public async Task A_file_two_ranks_report_is_failed_precondition_naming_both()
    {
        await using var server = await StartAsync();
        var checkpoints = server.Client().Checkpoints;
        var attempt = await checkpoints.BeginAsync(1, 2, 0);
        var file = CheckpointWriters.Write(_root, 1, attempt.Attempt, ("model.safetensors", [1])).Single();
        await checkpoints.ReportAsync(new ReportCheckpointRequest { Attempt = attempt.Attempt, Rank = 0, Files = { file } });

        var error = await Assert.ThrowsAsync<RpcException>(() => checkpoints.ReportAsync(new ReportCheckpointRequest { Attempt = attempt.Attempt, Rank = 1, Files = { file } }));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("Rank 1 reports the file 'model.safetensors', which rank 0 already reported", error.Status.Detail);
    }

    [Fact]
    public async Task Without_a_checkpoint_directory_every_checkpoint_call_is_failed_precondition_naming_the_flag()
    {
        await using var server = await TestServer.StartAsync();
        var checkpoints = server.Client().Checkpoints;

        var begin = await Assert.ThrowsAsync<RpcException>(() => checkpoints.BeginAsync(1, 1, 0));
        var latest = await Assert.ThrowsAsync<RpcException>(() => checkpoints.LatestAsync());

        Assert.All(new[] { begin, latest }, e =>
        {
            Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
            Assert.Contains("--checkpoint-dir", e.Status.Detail);
        });
    }
}
