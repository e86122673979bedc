using DistTrain.Tests.Shared;
using System.Net;
using System.Net.Sockets;
using DistTrain.Launcher.Tests.Support;

namespace DistTrain.Launcher.Tests.Processes;

/// <summary>Which agent hosts the coordinator, and what the others print while they connect.</summary>
public sealed class CoordinatorChoiceTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    private static Dictionary<string, string?> SlurmTask(int procId) => new()
    {
        ["SLURM_JOB_ID"] = "7001",
        ["SLURM_PROCID"] = $"{procId}",
        ["SLURM_NTASKS"] = "2",
        ["SLURM_NNODES"] = "1",
        ["SLURM_NODEID"] = "0",
        ["SLURM_LOCALID"] = $"{procId}",
        ["SLURM_TASKS_PER_NODE"] = "2",
        ["SLURM_JOB_NODELIST"] = "node1",
        ["SLURMD_NODENAME"] = "node1",
        ["CUDA_VISIBLE_DEVICES"] = null,
        ["DISTTRAIN_TOKEN"] = "slurm-choice-token",
    };

    [Fact]
    public async Task Under_SLURM_task_0_hosts_the_coordinator_even_when_task_1_starts_first_and_task_1_connects_quietly()
    {
        var endpoint = $"127.0.0.1:{TestPorts.Free()}";
        string[] args = ["run", "--rdzv-endpoint", endpoint, "--", "/bin/true"];

        // Task 1 gets a head start: were it allowed to host, it would have bound the port before task 0 starts.
        using var task1 = LauncherProcess.Start(args, SlurmTask(1));
        await task1.WaitForAsync(() => task1.Stderr.Contains("SLURM job 7001", StringComparison.Ordinal), Limit, "task 1 to detect SLURM");
        await Task.Delay(TimeSpan.FromSeconds(2));
        using var task0 = LauncherProcess.Start(args, SlurmTask(0));
        var codes = await Task.WhenAll(task0.WaitAsync(Limit), task1.WaitAsync(Limit));

        var output = $"task 0\n{task0.Output}\ntask 1\n{task1.Output}";
        Assert.True(codes.All(c => c == 0), output);
        Assert.Contains("hosting the coordinator", task0.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("hosting the coordinator", task1.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_taken_where_this_agent_must_host_fails_preflight_in_one_message_without_a_stack_trace()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        using var agent = await LauncherProcess.RunAsync(
            ["run", "--coordinator", "host", "--nnodes", "2", "--rdzv-endpoint", $"127.0.0.1:{port}", "--token", "abcdefgh12345", "--", "/bin/true"], Limit);

        Assert.True(agent.ExitCode == 3, agent.Output);
        Assert.Contains($"must host the coordinator on port {port}, but the port is taken", agent.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", agent.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("fail:", agent.Output, StringComparison.Ordinal);
    }
}
