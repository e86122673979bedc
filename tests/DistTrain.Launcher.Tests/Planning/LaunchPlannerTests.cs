using DistTrain.Launcher.Agent;
using DistTrain.Launcher.Planning;
using DistTrain.Launcher.Settings;
using DistTrain.Launcher.Detection;
using DistTrain.Launcher.Workers;

namespace DistTrain.Launcher.Tests.Planning;

public sealed class LaunchPlannerTests
{
    private static readonly WorkerProgram Program = new("/bin/true", [], "true");

    private static DetectedEnvironment Local => new() { Description = "local", Endpoint = new Endpoint("127.0.0.1", 29400), HostName = "box" };

    private static GpuInventory Gpus(int count) => new(Enumerable.Range(0, count).Select(i => $"{i}").ToArray(), "test");

    [Fact]
    public void One_worker_per_GPU_pins_one_GPU_each()
    {
        var plan = LaunchPlanner.Plan(new RunSettings { NprocPerNode = new(NprocKind.Gpu, 0), Token = "12345678" }, Local, Gpus(4), Program, 16);

        Assert.Equal(4, plan.Nproc);
        Assert.Equal(["0", "1", "2", "3"], plan.Gpus);
    }

    [Fact]
    public void More_workers_than_GPUs_is_refused_before_anything_starts()
    {
        var ex = Assert.Throws<PreflightException>(() =>
            LaunchPlanner.Plan(new RunSettings { NprocPerNode = new(NprocKind.Count, 3), Token = "12345678" }, Local, Gpus(2), Program, 16));

        Assert.Contains("asks for 3 workers, but this node has 2 GPUs", ex.Message);
    }

    [Fact]
    public void More_SLURM_tasks_per_node_than_GPUs_is_refused_before_anything_starts()
    {
        var slurm = Local with { RequiredNproc = 1, LocalWorldSize = 4, LocalRankOffset = 3 };

        var ex = Assert.Throws<PreflightException>(() => LaunchPlanner.Plan(new RunSettings { Token = "12345678" }, slurm, Gpus(2), Program, 16));

        Assert.Contains("more tasks per node than GPUs", ex.Message);
        Assert.Contains("--ntasks-per-node=2", ex.Message);
    }

    [Fact]
    public void A_SLURM_task_per_GPU_takes_the_GPU_of_its_local_id()
    {
        var slurm = Local with { RequiredNproc = 1, LocalWorldSize = 4, LocalRankOffset = 2 };

        var plan = LaunchPlanner.Plan(new RunSettings { Token = "12345678" }, slurm, Gpus(4), Program, 16);

        Assert.Equal(["2"], plan.Gpus);
        Assert.Equal(2, plan.LocalRankOffset);
        Assert.Equal(4, plan.LocalWorldSize);
    }

    [Fact]
    public void CPU_workers_get_no_GPU_and_cpu_means_one_per_core()
    {
        var plan = LaunchPlanner.Plan(new RunSettings { NprocPerNode = new(NprocKind.Cpu, 0), Token = "12345678" }, Local, Gpus(0), Program, 6);

        Assert.Equal(6, plan.Nproc);
        Assert.Null(plan.Gpus);
    }

    [Fact]
    public async Task Standalone_makes_its_own_token_and_a_free_loopback_port()
    {
        var plan = await LaunchPlanner.PlanAsync(new RunSettings { Standalone = true, Program = "true" }, new Dictionary<string, string> { ["PATH"] = "/bin:/usr/bin" }, _ => { }, CancellationToken.None);

        Assert.Equal(32, plan.Token.Length);
        Assert.Equal(new Endpoint("127.0.0.1", 0), plan.Coordinator);
        Assert.Equal("127.0.0.1", plan.BindAddress);
        Assert.True(plan.HostsCoordinator);
        Assert.Equal((1, 1), (plan.Nnodes.Min, plan.Nnodes.Max));
    }

    [Fact]
    public void An_explicit_node_rank_orders_the_node_id()
    {
        var plan = LaunchPlanner.Plan(new RunSettings { NodeRank = 1, Nnodes = new(2, 2), Token = "12345678" }, Local, Gpus(0), Program, 2);

        Assert.Equal("node-00001-box", plan.NodeId);
    }
}
