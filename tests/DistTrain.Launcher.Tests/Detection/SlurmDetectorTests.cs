using DistTrain.Launcher.Settings;
using DistTrain.Launcher.Detection;
using DistTrain.Launcher.Tests.Support;

namespace DistTrain.Launcher.Tests.Detection;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SlurmDetectorTests
{
    private static Dictionary<string, string> Step(int procId, int nTasks, int nNodes, int nodeId, int localId, string tasksPerNode) => new()
    {
        ["SLURM_JOB_ID"] = "4242",
        ["SLURM_PROCID"] = $"{procId}",
        ["SLURM_NTASKS"] = $"{nTasks}",
        ["SLURM_NNODES"] = $"{nNodes}",
        ["SLURM_NODEID"] = $"{nodeId}",
        ["SLURM_LOCALID"] = $"{localId}",
        ["SLURM_TASKS_PER_NODE"] = tasksPerNode,
        ["SLURMD_NODENAME"] = $"gpu{nodeId + 1}",
        ["SLURM_JOB_NODELIST"] = "gpu1",
    };

    [Fact]
    public async Task One_task_per_node_makes_each_task_a_node_with_SLURM_NODEID_as_its_rank()
    {
        var env = Step(procId: 1, nTasks: 2, nNodes: 2, nodeId: 1, localId: 0, "1(x2)");

        var d = await SlurmDetector.DetectAsync(env, new Endpoint("gpu1", 29400));

        Assert.StartsWith("SLURM job 4242, task 1 of 2", d.Description, StringComparison.Ordinal);
        Assert.Equal((2, 2), (d.Nnodes!.Value.Min, d.Nnodes.Value.Max));
        Assert.Equal(1, d.NodeRank);
        Assert.Equal("4242", d.RdzvId);
        Assert.Null(d.RequiredNproc);
        Assert.Equal("slurm-00001-gpu2", d.NodeId);
    }

    [Fact]
    public async Task One_task_per_GPU_makes_RANK_SLURM_PROCID_and_LOCAL_RANK_SLURM_LOCALID()
    {
        var env = Step(procId: 5, nTasks: 8, nNodes: 2, nodeId: 1, localId: 1, "4(x2)");

        var d = await SlurmDetector.DetectAsync(env, null);

        Assert.Equal((8, 8), (d.Nnodes!.Value.Min, d.Nnodes.Value.Max));
        Assert.Equal(5, d.NodeRank);
        Assert.Equal(1, d.RequiredNproc);
        Assert.Equal(1, d.LocalRankOffset);
        Assert.Equal(4, d.LocalWorldSize);
        Assert.False(d.HostsCoordinator);
        Assert.Equal(new Endpoint("gpu1", 29400), d.Endpoint);

        // Node ids sort by task id, so the coordinator's node ranks (and global ranks) follow SLURM_PROCID.
        Assert.Equal("slurm-00005-gpu2", d.NodeId);
    }

    [Fact]
    public async Task Task_0_hosts_the_coordinator_on_the_first_host()
    {
        var d = await SlurmDetector.DetectAsync(Step(0, 2, 2, 0, 0, "1(x2)"), null);

        Assert.True(d.HostsCoordinator);
    }

    [Fact]
    public async Task An_explicit_endpoint_on_the_first_host_is_hosted_by_task_0_alone()
    {
        var task0 = await SlurmDetector.DetectAsync(Step(0, 4, 1, 0, 0, "4"), new Endpoint("gpu1", 29555));
        var task3 = await SlurmDetector.DetectAsync(Step(3, 4, 1, 0, 3, "4"), new Endpoint("gpu1", 29555));
        var elsewhere = await SlurmDetector.DetectAsync(Step(0, 4, 1, 0, 0, "4"), new Endpoint("login1", 29555));

        Assert.True(task0.HostsCoordinator);
        Assert.False(task3.HostsCoordinator);
        Assert.Null(elsewhere.HostsCoordinator);
        Assert.Equal(new Endpoint("gpu1", 29555), task3.Endpoint);
    }

    [Fact]
    public async Task Under_SLURM_only_task_0_may_host_an_explicit_endpoint_that_names_no_host_of_the_allocation()
    {
        // 127.0.0.1 is every task's own machine: before, each task of the first host raced to bind it.
        var task0 = await SlurmDetector.DetectAsync(Step(0, 2, 1, 0, 0, "2"), new Endpoint("127.0.0.1", 29555));
        var task1 = await SlurmDetector.DetectAsync(Step(1, 2, 1, 0, 1, "2"), new Endpoint("127.0.0.1", 29555));
        var login = await SlurmDetector.DetectAsync(Step(1, 2, 1, 0, 1, "2"), new Endpoint("login1", 29555));

        Assert.Null(task0.HostsCoordinator);
        Assert.False(task1.HostsCoordinator);
        Assert.False(login.HostsCoordinator);
    }

    [Fact]
    public async Task Several_tasks_per_node_are_described_by_what_they_run_not_as_one_task_per_GPU()
    {
        // CPU-only tasks: nothing in the step says there is a GPU, so the description must not claim one.
        var d = await SlurmDetector.DetectAsync(Step(1, 2, 1, 0, 1, "2"), null);

        Assert.DoesNotContain("GPU", d.Description, StringComparison.Ordinal);
        Assert.Contains("several tasks per node: one worker per task, local task 1 of 2", d.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2(x3),1", 0, 2)]
    [InlineData("2(x3),1", 2, 2)]
    [InlineData("2(x3),1", 3, 1)]
    [InlineData("4", 0, 4)]
    [InlineData("3,1,2", 2, 2)]
    public void Tasks_per_node_are_read_from_SLURM_TASKS_PER_NODE(string text, int nodeId, int expected) =>
        Assert.Equal(expected, SlurmDetector.TasksOnNode(new Dictionary<string, string> { ["SLURM_TASKS_PER_NODE"] = text }, nodeId));

    [Fact]
    public async Task The_node_list_is_expanded_with_scontrol_show_hostnames_found_on_PATH()
    {
        using var bin = new TempDirectory();
        var log = Path.Combine(bin.Path, "calls");
        var fake = Path.Combine(bin.Path, "scontrol");
        File.WriteAllText(fake, $"#!/bin/sh\necho \"$@\" >> {log}\n[ \"$1 $2\" = \"show hostnames\" ] || exit 1\nprintf 'node07\\nnode08\\nnode11\\n'\n");
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var env = Step(procId: 1, nTasks: 3, nNodes: 3, nodeId: 1, localId: 0, "1(x3)");
        env["SLURM_JOB_NODELIST"] = "node[07-08,11]";
        env["PATH"] = $"{bin.Path}:/usr/bin:/bin";

        var d = await SlurmDetector.DetectAsync(env, null);

        Assert.Equal(new Endpoint("node07", 29400), d.Endpoint);
        Assert.Equal("show hostnames node[07-08,11]", File.ReadAllText(log).Trim());
    }

    [Fact]
    public async Task A_node_list_without_scontrol_names_the_fix()
    {
        using var empty = new TempDirectory();
        var env = Step(0, 2, 2, 0, 0, "1(x2)");
        env["SLURM_JOB_NODELIST"] = "node[1-2]";
        env["PATH"] = empty.Path;

        var ex = await Assert.ThrowsAsync<PreflightException>(() => SlurmDetector.DetectAsync(env, null));

        Assert.Contains("scontrol is not on PATH", ex.Message);
        Assert.Contains("--rdzv-endpoint", ex.Message);
    }

    [Fact]
    public async Task Running_outside_srun_is_explained()
    {
        var env = new Dictionary<string, string> { ["SLURM_JOB_ID"] = "1", ["SLURM_PROCID"] = "0", ["SLURM_JOB_NODELIST"] = "n1" };
        env["SLURM_NTASKS"] = "x";

        var ex = await Assert.ThrowsAsync<PreflightException>(() => SlurmDetector.DetectAsync(env, null));

        Assert.Contains("SLURM_NTASKS ('x') must be an integer", ex.Message);
    }
}
