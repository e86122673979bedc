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
        Assert.Equal("5", e["CUDA_VISIBLE_DEVICES"]);
        Assert.Equal("4", e["OMP_NUM_THREADS"]);
        Assert.Equal("/bin", e["PATH"]);
        Assert.False(e.ContainsKey("DISTTRAIN_TOKEN"));
        Assert.Equal(Path.Combine("/logs", "j1", "attempt_5", "rank_5"), launches[1].LogDirectory);
    }

    [Fact]
    public void A_user_OMP_NUM_THREADS_is_kept()
    {
        var settings = new RunSettings { Token = "job-token-1" };
        var detected = new DetectedEnvironment { Description = "local", HostName = "box", Endpoint = new Endpoint("h", 1) };
        var plan = LaunchPlanner.Plan(settings, detected, new GpuInventory([], "none"), new WorkerProgram("/bin/true", [], "true"), 8);
        var me = new NodeAssignment { NodeId = "a", LocalWorldSize = 1 };
        var world = new World { Round = 1, WorldSize = 1, StoreNamespace = "round-1", Nodes = { me } };

        var e = WorkerEnvironment.Build(plan, world, me, 0, 0, new Dictionary<string, string> { ["OMP_NUM_THREADS"] = "3" }, 8)[0].Environment;

        Assert.Equal("3", e["OMP_NUM_THREADS"]);
        Assert.False(e.ContainsKey("CUDA_VISIBLE_DEVICES"));
    }
}
