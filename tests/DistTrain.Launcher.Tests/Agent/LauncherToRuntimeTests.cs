using DistTrain.Launcher.Agent;
using DistTrain.Launcher.Detection;
using DistTrain.Launcher.Planning;
using DistTrain.Launcher.Settings;
using DistTrain.Launcher.Tests.Support;
using DistTrain.Launcher.Workers;
using DistTrain.Protocol.Launch;
using DistTrain.Protocol.V1;

namespace DistTrain.Launcher.Tests.Agent;

/// <summary>
/// What the launcher writes for its workers is what the runtime reads (its LaunchEnvironment, through the
/// contract's reader): a round of two nodes of two workers each, seen by each of its four ranks.
/// </summary>
public sealed class LauncherToRuntimeTests
{
    private static readonly NodeAssignment First = new() { NodeId = "node-a", NodeRank = 0, BaseRank = 0, LocalWorldSize = 2, Host = "10.0.0.1" };
    private static readonly NodeAssignment Second = new() { NodeId = "node-b", NodeRank = 1, BaseRank = 2, LocalWorldSize = 2, Host = "10.0.0.2" };

    // Every worker of both nodes, as each node's agent would launch them in round 3 after one restart.
    private static IReadOnlyList<(NodeAssignment Node, WorkerLaunch Launch)> LaunchBothNodes()
    {
        var settings = new RunSettings
        {
            NprocPerNode = new NprocSpec(NprocKind.Count, 2),
            RdzvId = "job-7",
            MaxRestarts = 2,
            Token = "job-token",
        };
        var detected = new DetectedEnvironment { Description = "local", HostName = "box", Endpoint = new Endpoint("10.0.0.9", 29400) };
        var plan = LaunchPlanner.Plan(settings, detected, new GpuInventory([], "none"), new WorkerProgram("/bin/true", [], "true"), cpuCount: 4);
        var world = new World { Round = 3, WorldSize = 4, StoreNamespace = "round-3", Nodes = { First, Second } };
        var inherited = new Dictionary<string, string> { ["PATH"] = "/bin" };
        return world.Nodes
            .SelectMany(node => WorkerEnvironment.Build(plan, world, node, restartCount: 1, attempt: 1, inherited, cpuCount: 4).Select(launch => (node, launch)))
            .ToList();
    }

    [Fact]
    public void The_four_workers_read_ranks_0_to_3_once_each()
    {
        var ranks = LaunchBothNodes().Select(w => RuntimeLaunchEnvironment.Read(w.Launch.Environment).Rank);

        Assert.Equal([0, 1, 2, 3], ranks.Order());
    }

    [Fact]
    public void Each_worker_reads_its_place_on_its_node_and_the_rounds_coordinator()
    {
        var workers = LaunchBothNodes();

        Assert.Equal(4, workers.Count);
        Assert.All(workers, w =>
        {
            var env = RuntimeLaunchEnvironment.Read(w.Launch.Environment);
            Assert.Equal(w.Launch.Rank, env.Rank);
            Assert.Equal(env.Rank - w.Node.BaseRank, env.LocalRank);
            Assert.Equal((4, 2), (env.WorldSize, env.LocalWorldSize));
            Assert.Equal(w.Node.NodeRank, env.GroupRank);
            Assert.Equal(new Uri("http://10.0.0.9:29400"), env.Coordinator);
            Assert.Equal(("10.0.0.9", 29400), (env.MasterAddr, env.MasterPort));
            Assert.Equal(("job-token", "round-3", 1), (env.JobToken, env.StoreNamespace, env.RestartCount));
        });
    }

    [Fact]
    public void Each_worker_reads_the_round_the_job_and_its_restart_budget()
    {
        Assert.All(LaunchBothNodes(), w =>
        {
            var identity = LaunchIdentityReader.Read(w.Launch.Environment.GetValueOrDefault);
            Assert.Equal((w.Node.NodeRank, 2), (identity.GroupRank, identity.GroupWorldSize));
            Assert.Equal((3UL, "job-7"), (identity.Round, identity.JobId));
            Assert.Equal((1, 2), (identity.RestartCount, identity.MaxRestarts));
        });
    }
}
