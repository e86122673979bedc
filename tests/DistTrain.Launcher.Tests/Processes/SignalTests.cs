using DistTrain.Launcher.Tests.Support;

namespace DistTrain.Launcher.Tests.Processes;

/// <summary>Signals sent to a real agent.</summary>
public sealed class SignalTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task SIGTERM_to_the_agent_stops_every_worker_and_leaves_no_orphan_process()
    {
        using var pids = new TempDirectory();
        using var agent = LauncherProcess.Start(["run", "--standalone", "--nproc-per-node", "2", "--grace-period", "5", "--", LauncherProcess.Worker, "hang", pids.Path]);
        var files = new[] { "worker-0.pid", "worker-1.pid", "child-0.pid", "child-1.pid" }.Select(f => Path.Combine(pids.Path, f)).ToArray();
        await agent.WaitForAsync(() => files.All(File.Exists) && agent.Stdout.Split("ready").Length == 3, Generous, "both workers and their background children to start");
        var all = files.Select(Probe.ReadPid).ToArray();
        try
        {
            Assert.All(all, pid => Assert.False(Probe.IsGone(pid)));

            Assert.Equal(0, NativeKill(agent.Pid, 15));
            var code = await agent.WaitAsync(Generous);

            Assert.True(code == 143, agent.Output);
            Assert.Contains("SIGTERM received; stopping every worker", agent.Stderr);
            Assert.Contains("stopped by SIGTERM", agent.Stderr);
            var alive = await Probe.WaitGoneAsync(all, TimeSpan.FromSeconds(10));
            Assert.True(alive.Length == 0, $"still alive after the agent exited: {string.Join(", ", alive)}\n{agent.Output}");
        }
        finally
        {
            Probe.KillAll(all);
        }
    }

    [Fact]
    public async Task SIGUSR1_to_the_agent_is_forwarded_to_the_workers_which_keep_running_until_stopped()
    {
        using var pids = new TempDirectory();
        using var agent = LauncherProcess.Start(["run", "--standalone", "--nproc-per-node", "1", "--grace-period", "5", "--", LauncherProcess.Worker, "hang", pids.Path]);
        var worker = Path.Combine(pids.Path, "worker-0.pid");
        await agent.WaitForAsync(() => File.Exists(worker) && agent.Stdout.Contains("ready", StringComparison.Ordinal), Generous, "the worker to start");
        var pid = Probe.ReadPid(worker);
        try
        {
            Assert.Equal(0, NativeKill(agent.Pid, 10));
            await agent.WaitForAsync(() => agent.Stderr.Contains("forwarding SIGUSR1 to every worker", StringComparison.Ordinal), Generous, "the forwarding message");

            // bash's default action for SIGUSR1 is to terminate: the worker ended by the forwarded signal is a failure (10 + 128).
            var code = await agent.WaitAsync(Generous);
            Assert.True(code == 1, agent.Output);
            Assert.Contains("signal SIGUSR1 (exit code 138)", agent.Stderr);
        }
        finally
        {
            Probe.KillAll([pid]);
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int NativeKill(int pid, int signal);
}
