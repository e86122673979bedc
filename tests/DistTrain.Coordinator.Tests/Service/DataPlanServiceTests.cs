using DistTrain.Coordinator.Tests.Support;
using DistTrain.Protocol;
using DistTrain.Protocol.DataPlan;
using DistTrain.Protocol.V1;
using Grpc.Core;

namespace DistTrain.Coordinator.Tests.Service;

/// <summary>The data plan over gRPC: register, fetch, commit, and the statuses of bad requests. One coordinator for the class, each test with its own dataset.</summary>
public sealed class DataPlanServiceTests(DataPlanServiceTests.Fixture fixture) : IClassFixture<DataPlanServiceTests.Fixture>
{
    private CoordinatorDataPlanClient Plans => fixture.Plans;

    private static DatasetPlan Plan(string name, long size = 100, long globalBatch = 8, ulong seed = 7) =>
        new() { Name = name, Seed = seed, Size = size, GlobalBatch = globalBatch, Shuffle = true, Unit = DataUnit.Samples };

    [Fact]
    public async Task Register_creates_the_dataset_at_the_start_of_epoch_0_and_get_returns_it()
    {
        var registered = await Plans.RegisterAsync(Plan("reg-get"));
        var fetched = await Plans.GetAsync("reg-get");

        Assert.True(registered.Created);
        Assert.Equal(Plan("reg-get"), registered.State.Dataset);
        Assert.Equal(PlanPosition.Start, registered.State.Position.ToPosition());
        Assert.Equal(registered.State, fetched);
    }

    [Fact]
    public async Task Registering_the_same_plan_again_creates_nothing_and_returns_the_committed_position()
    {
        await Plans.RegisterAsync(Plan("again"));
        await Plans.CommitAsync("again", new PlanPosition(0, 16));

        var again = await Plans.RegisterAsync(Plan("again"));

        Assert.False(again.Created);
        Assert.Equal(new PlanPosition(0, 16), again.State.Position.ToPosition());
    }

    [Fact]
    public async Task Another_size_under_a_registered_name_is_failed_precondition_naming_both_sizes()
    {
        await Plans.RegisterAsync(Plan("conflict", size: 100));

        var error = await Assert.ThrowsAsync<RpcException>(() => Plans.RegisterAsync(Plan("conflict", size: 120)));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("'conflict'", error.Status.Detail);
        Assert.Contains("size 120 was asked, 100 is registered", error.Status.Detail);
        Assert.DoesNotContain("seed", error.Status.Detail);
    }

    [Fact]
    public async Task Commit_moves_the_position_forward_and_a_complete_epoch_becomes_the_next_ones_start()
    {
        await Plans.RegisterAsync(Plan("commit", size: 20, globalBatch: 8));

        var mid = await Plans.CommitAsync("commit", new PlanPosition(0, 8));
        var repeated = await Plans.CommitAsync("commit", new PlanPosition(0, 8));
        var end = await Plans.CommitAsync("commit", new PlanPosition(0, 20));

        Assert.Equal(new PlanPosition(0, 8), mid.Position.ToPosition());
        Assert.Equal(new PlanPosition(0, 8), repeated.Position.ToPosition());
        Assert.Equal(new PlanPosition(1, 0), end.Position.ToPosition());
        Assert.Equal(new PlanPosition(1, 0), (await Plans.GetAsync("commit")).Position.ToPosition());
    }

    [Fact]
    public async Task A_commit_behind_the_committed_position_is_failed_precondition_and_changes_nothing()
    {
        await Plans.RegisterAsync(Plan("behind"));
        await Plans.CommitAsync("behind", new PlanPosition(1, 40));

        var error = await Assert.ThrowsAsync<RpcException>(() => Plans.CommitAsync("behind", new PlanPosition(1, 32)));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("epoch 1, 40 consumed", error.Status.Detail);
        Assert.Equal(new PlanPosition(1, 40), (await Plans.GetAsync("behind")).Position.ToPosition());
    }

    [Fact]
    public async Task A_commit_past_the_dataset_is_invalid_argument_naming_its_size()
    {
        await Plans.RegisterAsync(Plan("past", size: 50));

        var error = await Assert.ThrowsAsync<RpcException>(() => Plans.CommitAsync("past", new PlanPosition(0, 51)));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("[0, 50]", error.Status.Detail);
    }

    [Fact]
    public async Task Get_and_commit_of_an_unknown_dataset_are_not_found_naming_it()
    {
        var get = await Assert.ThrowsAsync<RpcException>(() => Plans.GetAsync("never-registered"));
        var commit = await Assert.ThrowsAsync<RpcException>(() => Plans.CommitAsync("never-registered", new PlanPosition(0, 1)));

        Assert.All([get, commit], e => Assert.Equal(StatusCode.NotFound, e.StatusCode));
        Assert.Contains("'never-registered'", get.Status.Detail);
    }

    public static TheoryData<string, string> BadPlans => new()
    {
        { "empty-name", "dataset.name must not be empty" },
        { "size-0", "dataset.size (0) must be at least 1" },
        { "batch-0", "dataset.global_batch (0) must be in [1, 100]" },
        { "batch-over-size", "dataset.global_batch (101) must be in [1, 100]" },
        { "long-name", "dataset.name is 257 characters long; at most 256" },
        { "unit", "dataset.unit (9) must be" },
    };

    [Theory]
    [MemberData(nameof(BadPlans))]
    public async Task A_plan_that_breaks_a_rule_is_invalid_argument_naming_the_field_and_the_rule(string bad, string message)
    {
        var plan = Plan($"bad-{bad}");
        switch (bad)
        {
            case "empty-name": plan.Name = ""; break;
            case "size-0": plan.Size = 0; break;
            case "batch-0": plan.GlobalBatch = 0; break;
            case "batch-over-size": plan.GlobalBatch = 101; break;
            case "long-name": plan.Name = new string('n', 257); break;
            case "unit": plan.Unit = (DataUnit)9; break;
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => Plans.RegisterAsync(plan));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(message, error.Status.Detail);
    }

    [Fact]
    public async Task Requests_without_their_message_fields_are_invalid_argument()
    {
        var stub = new DistTrain.Protocol.V1.Coordinator.CoordinatorClient(fixture.Server.Client().CallInvoker);

        var register = await Assert.ThrowsAsync<RpcException>(async () => await stub.RegisterDatasetAsync(new RegisterDatasetRequest()));
        var commit = await Assert.ThrowsAsync<RpcException>(async () => await stub.CommitDataPlanAsync(new CommitDataPlanRequest { Name = "x" }));
        var negative = await Assert.ThrowsAsync<RpcException>(async () =>
            await stub.CommitDataPlanAsync(new CommitDataPlanRequest { Name = "x", Position = new DataPlanPosition { Epoch = -1 } }));

        Assert.Equal(StatusCode.InvalidArgument, register.StatusCode);
        Assert.Contains("dataset must be set", register.Status.Detail);
        Assert.Equal(StatusCode.InvalidArgument, commit.StatusCode);
        Assert.Contains("position must be set", commit.Status.Detail);
        Assert.Contains("position.epoch (-1) must not be negative", negative.Status.Detail);
    }

    public sealed class Fixture : IAsyncLifetime
    {
        internal TestServer Server { get; private set; } = null!;

        public CoordinatorDataPlanClient Plans { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Server = await TestServer.StartAsync();
            Plans = Server.Client().DataPlans;
        }

        public async Task DisposeAsync() => await Server.DisposeAsync();
    }
}
