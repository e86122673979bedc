using DistTrain.Launcher.Tests.Support;

namespace DistTrain.Launcher.Tests.Processes;

/// <summary>Signals sent to a real agent: while training, and while it waits in a rendezvous join.</summary>
public sealed class SignalTests
{
    private const int SigInt = 2;
    private const int SigUsr1 = 10;
    private const int SigTerm = 15;
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

            Assert.Equal(0, Probe.Signal(agent.Pid, SigTerm));
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

    [Theory]
    [InlineData(SigInt, "SIGINT")]
    [InlineData(SigTerm, "SIGTERM")]
    public async Task The_first_INT_or_TERM_gives_every_worker_SIGTERM_and_the_agent_exits_with_128_plus_its_number(int signal, string name)
    {
        using var dir = new TempDirectory();
        using var agent = StartTraining(dir, workers: 2);
        await WaitReadyAsync(agent, dir, ranks: [0, 1]);

        Assert.Equal(0, Probe.Signal(agent.Pid, signal));
        var code = await agent.WaitAsync(Generous);

        Assert.True(code == 128 + signal, agent.Output);
        Assert.Contains($"stopped by {name}", agent.Stderr);
        Assert.Equal(["TERM"], Received(dir, 0));
        Assert.Equal(["TERM"], Received(dir, 1));
    }

    [Fact]
    public async Task A_second_INT_or_TERM_kills_workers_that_ignore_SIGTERM_without_waiting_out_the_grace_period()
    {
        using var dir = new TempDirectory();
        using var agent = LauncherProcess.Start(["run", "--standalone", "--nproc-per-node", "1", "--grace-period", "600", "--", LauncherProcess.Worker, "stubborn", dir.Path]);
        await WaitReadyAsync(agent, dir, ranks: [0]);
        var worker = Probe.ReadPid(Path.Combine(dir.Path, "worker-0.pid"));
        try
        {
            Assert.Equal(0, Probe.Signal(agent.Pid, SigTerm));
            await agent.WaitForAsync(() => agent.Stderr.Contains("SIGTERM received; stopping every worker", StringComparison.Ordinal), Generous, "the agent to stop its workers");
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.False(Probe.IsGone(worker), "the worker ignores SIGTERM, so it must still run within the grace period");

            Assert.Equal(0, Probe.Signal(agent.Pid, SigInt));
            var code = await agent.WaitAsync(Generous);

            Assert.True(code == 143, agent.Output);
            Assert.Empty(await Probe.WaitGoneAsync([worker], TimeSpan.FromSeconds(10)));
        }
        finally
        {
            Probe.KillAll([worker]);
        }
    }

    [Fact]
    public async Task SIGUSR1_while_training_reaches_every_worker_which_keeps_running_until_SIGTERM()
    {
        using var dir = new TempDirectory();
        using var agent = StartTraining(dir, workers: 2);
        await WaitReadyAsync(agent, dir, ranks: [0, 1]);

        Assert.Equal(0, Probe.Signal(agent.Pid, SigUsr1));
        await agent.WaitForAsync(() => Received(dir, 0).Contains("USR1") && Received(dir, 1).Contains("USR1"), Generous, "both workers to receive SIGUSR1");
        Assert.Contains("forwarding SIGUSR1 to every worker", agent.Stderr);
        Assert.Equal(0, Probe.Signal(agent.Pid, SigTerm));
        var code = await agent.WaitAsync(Generous);

        Assert.True(code == 143, agent.Output);
        Assert.Equal(["USR1", "TERM"], Received(dir, 0));
        Assert.Equal(["USR1", "TERM"], Received(dir, 1));
    }

    [Fact]
    public async Task SIGUSR1_then_SIGTERM_while_joining_stops_the_agent_at_once_and_it_leaves_the_rendezvous_saying_why()
    {
        using var dir = new TempDirectory();
        await using var coordinator = await CoordinatorProcess.StartAsync(nodes: 2);
        using var agent = StartJoining(coordinator, dir);
        await coordinator.WaitForJoinedAsync(1, Generous);

        Assert.Equal(0, Probe.Signal(agent.Pid, SigUsr1));
        await Task.Delay(300);
        Assert.Equal(0, Probe.Signal(agent.Pid, SigTerm));
        var stopped = System.Diagnostics.Stopwatch.StartNew();
        var code = await agent.WaitAsync(Generous);

        // The join would otherwise wait for --rdzv-timeout (300 s).
        Assert.True(code == 143 && stopped.Elapsed < TimeSpan.FromSeconds(60), $"exit {code} after {stopped.Elapsed}\n{agent.Output}");
        Assert.Contains("stopped by SIGTERM while joining", agent.Stderr);
        await coordinator.WaitForLeftAsync("stopped by SIGTERM while joining", Generous);
        await coordinator.WaitForJoinedAsync(0, Generous);
        Assert.False(File.Exists(Path.Combine(dir.Path, "worker-0.pid")), "no worker may start");
    }

    [Fact]
    public async Task SIGUSR1_while_joining_reaches_the_workers_once_the_round_closes_and_they_start()
    {
        using var early = new TempDirectory();
        using var late = new TempDirectory();
        await using var coordinator = await CoordinatorProcess.StartAsync(nodes: 2);
        using var warned = StartJoining(coordinator, early);
        await coordinator.WaitForJoinedAsync(1, Generous);
        Assert.Equal(0, Probe.Signal(warned.Pid, SigUsr1));

        using var other = StartJoining(coordinator, late);
        var warnedRank = await WaitForRankAsync(warned, early);
        await warned.WaitForAsync(() => Received(early, warnedRank).Contains("USR1"), Generous, "the worker to receive the SIGUSR1 sent during the join");
        var otherRank = await WaitForRankAsync(other, late);

        Assert.Equal(0, Probe.Signal(warned.Pid, SigTerm));
        Assert.Equal(0, Probe.Signal(other.Pid, SigTerm));
        var codes = await Task.WhenAll(warned.WaitAsync(Generous), other.WaitAsync(Generous));

        Assert.True(codes.All(c => c == 143), warned.Output + "\n" + other.Output);
        Assert.Equal(["USR1", "TERM"], Received(early, warnedRank));
        Assert.Equal(["TERM"], Received(late, otherRank));
    }

    private static LauncherProcess StartTraining(TempDirectory dir, int workers) =>
        LauncherProcess.Start(["run", "--standalone", "--nproc-per-node", $"{workers}", "--grace-period", "5", "--", LauncherProcess.Worker, "signals", dir.Path]);

    private static LauncherProcess StartJoining(CoordinatorProcess coordinator, TempDirectory dir) =>
        LauncherProcess.Start(
            ["run", "--nnodes", "2", "--coordinator", "connect", "--rdzv-endpoint", coordinator.Endpoint, "--rdzv-timeout", "300", "--last-call-timeout", "0",
             "--grace-period", "5", "--", LauncherProcess.Worker, "signals", dir.Path],
            coordinator.TokenVariable);

    private static Task WaitReadyAsync(LauncherProcess agent, TempDirectory dir, int[] ranks) =>
        agent.WaitForAsync(
            () => ranks.All(r => File.Exists(Path.Combine(dir.Path, $"worker-{r}.pid"))) && agent.Stdout.Split("ready").Length == ranks.Length + 1,
            Generous, "the workers to start");

    /// <summary>The rank of the one worker an agent started into <paramref name="dir"/>, once it is ready.</summary>
    private static async Task<int> WaitForRankAsync(LauncherProcess agent, TempDirectory dir)
    {
        await agent.WaitForAsync(() => Directory.GetFiles(dir.Path, "worker-*.pid").Length == 1 && agent.Stdout.Contains("ready", StringComparison.Ordinal), Generous, "its worker to start");
        var file = Path.GetFileNameWithoutExtension(Directory.GetFiles(dir.Path, "worker-*.pid")[0]);
        return int.Parse(file["worker-".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The signals worker <paramref name="rank"/> recorded, in order.</summary>
    private static string[] Received(TempDirectory dir, int rank)
    {
        var file = Path.Combine(dir.Path, $"signals-{rank}");
        return File.Exists(file) ? File.ReadAllLines(file) : [];
    }
}
