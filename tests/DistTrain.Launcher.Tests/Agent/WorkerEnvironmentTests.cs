using DistTrain.Launcher.Agent;
using DistTrain.Launcher.Planning;
using DistTrain.Launcher.Settings;
using DistTrain.Launcher.Detection;
using DistTrain.Launcher.Workers;
using DistTrain.Protocol.V1;

namespace DistTrain.Launcher.Tests.Agent;

public sealed class WorkerEnvironmentTests
{
    [Fact]
    public void Workers_get_torchrun_names_the_round_and_one_GPU_each()
    {
        var settings = new RunSettings { Token = "job-token-1", MaxRestarts = 3, RdzvId = "j1", LogDir = "/logs" };
        var detected = new DetectedEnvironment { Description = "local", HostName = "box", Endpoint = new Endpoint("head", 29400) };
        var plan = LaunchPlanner.Plan(settings, detected, new GpuInventory(["4", "5"], "test"), new WorkerProgram("/bin/true", [], "true"), 8);
        plan = plan with { Nproc = 2, LocalWorldSize = 2, Gpus = ["4", "5"] };
        var world = new World { Round = 7, WorldSize = 6, StoreNamespace = "round-7" };
        world.Nodes.Add(new NodeAssignment { NodeId = "a", NodeRank = 0, BaseRank = 0, LocalWorldSize = 4 });
        var me = new NodeAssignment { NodeId = "b", NodeRank = 1, BaseRank = 4, LocalWorldSize = 2 };
        world.Nodes.Add(me);

        var launches = WorkerEnvironment.Build(plan, world, me, restartCount: 2, attempt: 5,
            new Dictionary<string, string> { ["PATH"] = "/bin", ["DISTTRAIN_TOKEN"] = "job-token-1" }, cpuCount: 8);

        Assert.Equal(2, launches.Count);
        var e = launches[1].Environment;
        Assert.Equal("5", e["RANK"]);
        Assert.Equal("1", e["LOCAL_RANK"]);
        Assert.Equal("6", e["WORLD_SIZE"]);
        Assert.Equal("2", e["LOCAL_WORLD_SIZE"]);
        Assert.Equal("1", e["GROUP_RANK"]);
        Assert.Equal("2", e["GROUP_WORLD_SIZE"]);
        Assert.Equal(("5", "6"), (e["ROLE_RANK"], e["ROLE_WORLD_SIZE"]));
        Assert.Equal("head", e["MASTER_ADDR"]);
        Assert.Equal("29400", e["MASTER_PORT"]);
        Assert.Equal("http://head:29400", e["DISTTRAIN_COORDINATOR"]);
        Assert.Equal("job-token-1", e["DISTTRAIN_JOB_TOKEN"]);
        Assert.Equal("2", e["DISTTRAIN_RESTART_COUNT"]);
        Assert.Equal("2", e["TORCHELASTIC_RESTART_COUNT"]);
        Assert.Equal("3", e["DISTTRAIN_MAX_RESTARTS"]);
        Assert.Equal("7", e["DISTTRAIN_ROUND"]);
        Assert.Equal("round-7", e["DISTTRAIN_STORE_NAMESPACE"]);
        Assert.Equal("j1", e["DISTTRAIN_JOB_ID"]);
        Assert.Equal(("3", "j1"), (e["TORCHELASTIC_MAX_RESTARTS"], e["TORCHELASTIC_RUN_ID"]));
        Assert.Equal("5", e["CUDA_VISIBLE_DEVICES"]);
        Assert.Equal("4", e["OMP_NUM_THREADS"]);
        Assert.Equal("/bin", e["PATH"]);
        Assert.False(e.ContainsKey("DISTTRAIN_TOKEN"));
        Assert.Equal(Path.Combine("/logs", "j1", "attempt_5", "rank_5"), launches[1].LogDirectory);
        Assert.Equal(Path.Combine("/logs", "j1", "attempt_5", "rank_5", "error.json"), e["DISTTRAIN_ERROR_FILE"]);
        Assert.Equal(e["DISTTRAIN_ERROR_FILE"], launches[1].ErrorFile);
    }

    [Fact]
    public void Without_a_log_dir_each_worker_gets_an_error_file_of_its_own_under_the_agents_folder()
    {
        var settings = new RunSettings { Token = "job-token-1", RdzvId = "j2" };
        var detected = new DetectedEnvironment { Description = "local", HostName = "box", Endpoint = new Endpoint("head", 29400) };
        var plan = LaunchPlanner.Plan(settings, detected, new GpuInventory([], "test"), new WorkerProgram("/bin/true", [], "true"), 8) with { Nproc = 2, LocalWorldSize = 2 };
        var me = new NodeAssignment { NodeId = "a", NodeRank = 0, BaseRank = 0, LocalWorldSize = 2 };
        var world = new World { Round = 1, WorldSize = 2, StoreNamespace = "round-1", Nodes = { me } };

        var launches = WorkerEnvironment.Build(plan, world, me, restartCount: 0, attempt: 3, new Dictionary<string, string>(), cpuCount: 8, errorFileRoot: "/tmp/agent");

        Assert.Equal(
            [Path.Combine("/tmp/agent", "attempt_3", "rank_0", "error.json"), Path.Combine("/tmp/agent", "attempt_3", "rank_1", "error.json")],
            launches.Select(l => l.Environment["DISTTRAIN_ERROR_FILE"]));
        Assert.StartsWith(Path.Combine(Path.GetTempPath(), "disttrain-j2-"), WorkerEnvironment.DefaultErrorFileRoot(plan), StringComparison.Ordinal);
    }

    [Fact]
    public void A_user_OMP_NUM_THREADS_is_kept()
    {
        var e = OneCpuWorker(new Endpoint("h", 1), new Dictionary<string, string> { ["OMP_NUM_THREADS"] = "3" });

        Assert.Equal("3", e["OMP_NUM_THREADS"]);
        Assert.False(e.ContainsKey("CUDA_VISIBLE_DEVICES"));
    }

    [Fact]
    public void An_IPv6_coordinator_is_MASTER_ADDR_without_brackets_and_DISTTRAIN_COORDINATOR_with_them()
    {
        var e = OneCpuWorker(new Endpoint("fd00::9", 29400), new Dictionary<string, string>());

        Assert.Equal(("fd00::9", "29400", "http://[fd00::9]:29400"), (e["MASTER_ADDR"], e["MASTER_PORT"], e["DISTTRAIN_COORDINATOR"]));
    }

    // The environment of the only worker of a one-node round on a CPU node with 8 cores.
    private static IReadOnlyDictionary<string, string> OneCpuWorker(Endpoint coordinator, Dictionary<string, string> inherited)
    {
        var settings = new RunSettings { Token = "job-token-1" };
        var detected = new DetectedEnvironment { Description = "local", HostName = "box", Endpoint = coordinator };
        var plan = LaunchPlanner.Plan(settings, detected, new GpuInventory([], "none"), new WorkerProgram("/bin/true", [], "true"), 8);
        var me = new NodeAssignment { NodeId = "a", LocalWorldSize = 1 };
        var world = new World { Round = 1, WorldSize = 1, StoreNamespace = "round-1", Nodes = { me } };

        return WorkerEnvironment.Build(plan, world, me, 0, 0, inherited, 8)[0].Environment;
    }

    [Fact]
    public void A_relative_checkpoint_dir_reaches_workers_as_an_absolute_DISTTRAIN_CHECKPOINT_DIR()
    {
        var settings = new RunSettings { Token = "job-token-1", CheckpointDir = "ckpt" };
        var detected = new DetectedEnvironment { Description = "local", HostName = "box", Endpoint = new Endpoint("head", 29400) };
        var plan = LaunchPlanner.Plan(settings, detected, new GpuInventory([], "test"), new WorkerProgram("/bin/true", [], "true"), 8);
        var world = new World { Round = 1, WorldSize = 1, StoreNamespace = "round-1" };
        var me = new NodeAssignment { NodeId = "a", NodeRank = 0, BaseRank = 0, LocalWorldSize = 1 };
        world.Nodes.Add(me);

        var launch = Assert.Single(WorkerEnvironment.Build(plan, world, me, restartCount: 0, attempt: 0, new Dictionary<string, string>(), cpuCount: 8));

        Assert.Equal(Path.GetFullPath("ckpt"), plan.CheckpointDir);
        Assert.Equal(Path.GetFullPath("ckpt"), launch.Environment["DISTTRAIN_CHECKPOINT_DIR"]);
    }
}
