using System.Diagnostics;
using System.Globalization;
using System.Text;
using DistTrain.Launcher.Planning;
using DistTrain.Launcher.Settings;
using DistTrain.Launcher.Terminal;
using DistTrain.Launcher.Workers;
using DistTrain.Protocol;
using DistTrain.Protocol.V1;
using Grpc.Core;

namespace DistTrain.Launcher.Agent;

/// <summary>
/// The agent of one node, as torch.distributed.elastic's. Its states, in one loop:
/// <list type="number">
/// <item>joining: it joins a round (a SIGINT or SIGTERM cancels the join, sends Leave and ends the run);</item>
/// <item>running: it starts the node's workers with the round's ranks and supervises them;</item>
/// <item>then one of: every worker exited with 0 (exit barrier, Leave, success); a worker failed (the
/// group is stopped and joins again, up to <c>--max-restarts</c>, else the run fails); the coordinator kept
/// naming one of this node's ranks stuck for <c>--stuck-restart-after</c> (with restarts left: the group is
/// stopped and joins again, a restart whose root cause is that rank; without, the agent only logs it); the round's
/// membership changed (the group is stopped and joins again, not counted as a restart); SIGINT or
/// SIGTERM (every worker gets SIGTERM, SIGKILL after the grace period or at a second signal, Leave); the coordinator was lost.</item>
/// </list>
/// SIGUSR1 is passed on to the workers; one that arrives while no worker runs waits for the next group.
/// </summary>
public sealed class ElasticAgent
{
    /// <summary>How long agents whose workers finished wait for the others (torchrun's exit barrier).</summary>
    private static readonly TimeSpan ExitBarrierTimeout = TimeSpan.FromSeconds(300);

    /// <summary>How often the agent asks the coordinator for the job's telemetry (the ranks report about once a second).</summary>
    private static readonly TimeSpan TelemetryInterval = TimeSpan.FromSeconds(1);

    private readonly LaunchPlan _plan;
    private readonly CoordinatorClient _client;
    private readonly ConsoleView _view;
    private readonly SignalInbox _signals;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<WorkerFailure> _failures = [];
    private readonly List<StuckRank> _stuck = [];

    /// <summary>Creates the agent.</summary>
    /// <param name="plan">What to run and how; its coordinator is reachable.</param>
    /// <param name="client">The coordinator's client.</param>
    /// <param name="view">The console.</param>
    /// <param name="signals">The signals the process receives.</param>
    /// <param name="environment">The agent's environment (workers inherit it).</param>
    public ElasticAgent(LaunchPlan plan, CoordinatorClient client, ConsoleView view, SignalInbox signals, IReadOnlyDictionary<string, string> environment)
    {
        _plan = plan;
        _client = client;
        _view = view;
        _signals = signals;
        _environment = environment;
    }

    /// <summary>Runs the job on this node until it finishes, fails beyond its restarts, or a signal stops it.</summary>
    /// <returns>The summary; its exit code is the process's.</returns>
    public async Task<RunSummary> RunAsync()
    {
        var restarts = 0;
        var attempts = 0;
        ulong knownRound = 0;
        var c = CultureInfo.InvariantCulture;
        while (true)
        {
            World world;
            try
            {
                _view.Agent(string.Create(c, $"joining the rendezvous at {_plan.Coordinator} as {_plan.NodeId} ({_plan.Nproc} worker(s); nnodes {_plan.Nnodes})..."));
                using var abandon = new CancellationTokenSource();
                var join = _client.JoinAsync(_plan.NodeId, _plan.Nproc, _plan.LocalAddr ?? "", knownRound, _plan.RdzvTimeout, abandon.Token);
                if (await Task.WhenAny(join, _signals.Stopped).ConfigureAwait(false) != join)
                {
                    // Leave first, so the coordinator and the other nodes hear why; then drop the call.
                    var reason = $"stopped by {Signals.Name(_signals.StopSignal!.Value)} while joining";
                    await LeaveAsync(reason).ConfigureAwait(false);
                    await abandon.CancelAsync().ConfigureAwait(false);
                    await join.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
                    return Summary(ExitCodes.SignalBase + _signals.StopSignal.Value, reason, restarts, knownRound, null);
                }

                world = await join.ConfigureAwait(false);
            }
            catch (RpcException ex)
            {
                return Summary(ExitCodes.Rendezvous, RendezvousFailure(ex), restarts, knownRound, null);
            }

            knownRound = world.Round;
            var me = world.Nodes.FirstOrDefault(n => n.NodeId == _plan.NodeId);
            if (me is null)
            {
                return Summary(ExitCodes.Rendezvous, string.Create(c, $"round {world.Round} closed without this node ({_plan.NodeId})"), restarts, knownRound, null);
            }

            if (_plan.NodeRank is { } asked && asked != me.NodeRank)
            {
                _view.Agent(string.Create(c, $"warning: --node-rank {asked} was asked, the coordinator assigned node rank {me.NodeRank}."));
            }

            var attempt = attempts++;
            var launches = WorkerEnvironment.Build(_plan, world, me, restarts, attempt, _environment, Environment.ProcessorCount);
            _view.Agent(string.Create(c,
                $"round {world.Round}: {world.Nodes.Count} node(s), world size {world.WorldSize}; starting ranks {me.BaseRank}-{me.BaseRank + me.LocalWorldSize - 1} (attempt {attempt}, restart {restarts}/{_plan.MaxRestarts})"));
            using var group = WorkerGroup.Start(_plan.Program, launches, _view, _plan.Tee, _plan.HostName, world.Round, attempt);
            var outcome = await SuperviseAsync(group, world, me, restarts).ConfigureAwait(false);
            switch (outcome)
            {
                case Outcome.Succeeded:
                    _view.ClearStatus();
                    await ExitBarrierAsync(world, me).ConfigureAwait(false);
                    await LeaveAsync("finished").ConfigureAwait(false);
                    return Summary(ExitCodes.Success, string.Create(c, $"finished: all {world.WorldSize} ranks exited with 0"), restarts, knownRound, null);

                case Outcome.Failed failed:
                    _view.Agent(string.Create(c, $"rank {failed.Failure.Rank} failed ({failed.Failure.Status}); stopping this node's workers."));
                    await group.StopAsync(_plan.GracePeriod).ConfigureAwait(false);
                    var root = group.RootCause(failed.Failure);
                    if (!ReferenceEquals(root, failed.Failure))
                    {
                        _view.Agent(string.Create(c, $"rank {root.Rank} failed before rank {failed.Failure.Rank} (its last words are older): rank {root.Rank} is the root cause."));
                    }

                    _failures.Add(root);
                    if (restarts >= _plan.MaxRestarts)
                    {
                        await LeaveAsync(string.Create(c, $"rank {root.Rank} failed; restarts used up")).ConfigureAwait(false);
                        return Summary(ExitCodes.WorkerFailed, string.Create(c, $"FAILED: restarts used up ({restarts}/{_plan.MaxRestarts})"), restarts, knownRound, root);
                    }

                    restarts++;
                    break;

                case Outcome.Stuck stuck:
                    var named = StuckRank.From(stuck.Rank, world.Round);
                    _view.Agent(string.Create(c, $"restarting this node's workers (restart {restarts + 1}/{_plan.MaxRestarts}): the coordinator names {named.Text}"));
                    await group.StopAsync(_plan.GracePeriod).ConfigureAwait(false);
                    _stuck.Add(named);
                    restarts++;
                    break;

                case Outcome.MembershipChanged changed:
                    _view.Agent($"membership changed ({changed.Reason}); stopping workers to join the next round.");
                    await group.StopAsync(_plan.GracePeriod).ConfigureAwait(false);
                    break;

                case Outcome.Stopped stopped:
                    _view.Agent($"{Signals.Name(stopped.Signal)} received; stopping every worker (SIGTERM, then SIGKILL after {_plan.GracePeriod.TotalSeconds:0.#} s, or at a second SIGINT or SIGTERM).");
                    await group.StopAsync(_plan.GracePeriod, _signals.Hurrying).ConfigureAwait(false);
                    await LeaveAsync($"stopped by {Signals.Name(stopped.Signal)}").ConfigureAwait(false);
                    return Summary(ExitCodes.SignalBase + stopped.Signal, $"stopped by {Signals.Name(stopped.Signal)}", restarts, knownRound, null);

                case Outcome.Lost lost:
                    await group.StopAsync(_plan.GracePeriod).ConfigureAwait(false);
                    return Summary(ExitCodes.Rendezvous, $"lost the coordinator: {lost.Reason}", restarts, knownRound, null);
            }
        }
    }

    private async Task<Outcome> SuperviseAsync(WorkerGroup group, World world, NodeAssignment me, int restarts)
    {
        await using var monitor = new MembershipMonitor(_client, _plan.NodeId, world);
        await using var telemetry = new TelemetryWatch(_client.Telemetry, TelemetryInterval, _view.Agent, world.Round,
            rank => rank >= me.BaseRank && rank < me.BaseRank + me.LocalWorldSize, _plan.StuckRestartAfter);
        using var stop = new CancellationTokenSource();
        var done = group.WaitAsync(stop.Token);

        // A stuck rank restarts the group only while restarts are left; after that the agent just logs it.
        var stuck = restarts < _plan.MaxRestarts ? telemetry.Stuck : Task.Delay(Timeout.Infinite, stop.Token);

        // A signal queued before this group existed is passed on after one interval, so that the
        // workers have had a moment to install their handlers (SIGUSR1's default action kills).
        var forwardFrom = DateTime.UtcNow + _plan.MonitorInterval;
        try
        {
            while (true)
            {
                var tick = Task.Delay(_plan.MonitorInterval, stop.Token);
                var forward = DateTime.UtcNow >= forwardFrom ? _signals.ToForward.WaitToReadAsync(stop.Token).AsTask() : tick;
                var first = await Task.WhenAny(done, monitor.MembershipChanged, monitor.CoordinatorLost, _signals.Stopped, stuck, forward, tick).ConfigureAwait(false);
                if (first == _signals.Stopped)
                {
                    return new Outcome.Stopped(await _signals.Stopped.ConfigureAwait(false));
                }

                if (first == done)
                {
                    var result = await done.ConfigureAwait(false);
                    return result.Succeeded ? new Outcome.Succeeded() : new Outcome.Failed(result.FirstFailure!);
                }

                if (first == stuck)
                {
                    return new Outcome.Stuck(await telemetry.Stuck.ConfigureAwait(false));
                }

                if (first == monitor.MembershipChanged)
                {
                    return new Outcome.MembershipChanged(await monitor.MembershipChanged.ConfigureAwait(false));
                }

                if (first == monitor.CoordinatorLost)
                {
                    return new Outcome.Lost(await monitor.CoordinatorLost.ConfigureAwait(false));
                }

                while (DateTime.UtcNow >= forwardFrom && _signals.ToForward.TryRead(out var received))
                {
                    _view.Agent($"forwarding {Signals.Name(received)} to every worker.");
                    group.Forward(received);
                }

                _view.Status(Progress(world, group, restarts, telemetry.Progress(world.Round)));
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
        }
    }

    private string Progress(World world, WorkerGroup group, int restarts, string? training)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"disttrain ▸ job {_plan.RunId} · round {world.Round} · {world.Nodes.Count} node(s) · ranks alive here {group.Alive}/{group.Workers.Count} of {world.WorldSize} · ");
        if (training is not null) text.Append(training).Append(" · ");
        text.Append(CultureInfo.InvariantCulture, $"restarts {restarts}/{_plan.MaxRestarts} · {_clock.Elapsed:hh\\:mm\\:ss}");
        return text.ToString();
    }

    /// <summary>
    /// Waits (at most 300 s, or until SIGINT or SIGTERM) until every node of the round has finished, so
    /// no node's exit looks like a failure to the others.
    /// </summary>
    private async Task ExitBarrierAsync(World world, NodeAssignment me)
    {
        if (world.Nodes.Count <= 1)
        {
            return;
        }

        var store = _client.Store(world.StoreNamespace);
        try
        {
            await store.SetAsync(string.Create(CultureInfo.InvariantCulture, $"disttrain/agent-finished/{me.NodeRank}"), "1"u8.ToArray()).ConfigureAwait(false);
            var keys = world.Nodes.Select(n => string.Create(CultureInfo.InvariantCulture, $"disttrain/agent-finished/{n.NodeRank}")).ToArray();
            _view.Agent("workers finished; waiting for the other nodes to finish...");
            await store.WaitAsync(keys, ExitBarrierTimeout, _signals.Stopping).ConfigureAwait(false);
        }
        catch (Exception ex) when (_signals.StopSignal is { } signal && ex is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            _view.Agent($"{Signals.Name(signal)} received while waiting for the other nodes; leaving now.");
        }
        catch (RpcException ex)
        {
            _view.Agent($"warning: the exit barrier did not complete ({ex.StatusCode}: {ex.Status.Detail}); leaving anyway.");
        }
    }

    private async Task LeaveAsync(string reason)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _client.LeaveAsync(_plan.NodeId, reason, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RpcException or OperationCanceledException)
        {
            // The coordinator may already be gone (its host finished first); nothing is left to tell it.
        }
    }

    private string RendezvousFailure(RpcException ex) => ex.StatusCode switch
    {
        StatusCode.Unauthenticated => $"the coordinator at {_plan.Coordinator} refused the token: every node must use the same {RunFlags.Token.Variable}",
        StatusCode.DeadlineExceeded => $"no round closed within {_plan.RdzvTimeout.TotalSeconds:0} s (--rdzv-timeout): fewer than {_plan.Nnodes.Min} node(s) joined, or the coordinator could not be reached for that long (a join waits for it). {ex.Status.Detail}",
        StatusCode.Unavailable => $"the coordinator at {_plan.Coordinator} is unavailable: {ex.Status.Detail}",
        _ => $"the rendezvous failed ({ex.StatusCode}): {ex.Status.Detail}",
    };

    private RunSummary Summary(int exitCode, string outcome, int restarts, ulong round, WorkerFailure? rootCause)
    {
        _view.ClearStatus();
        return new RunSummary
        {
            RunId = _plan.RunId,
            NodeId = _plan.NodeId,
            ExitCode = exitCode,
            Outcome = outcome,
            Restarts = restarts,
            MaxRestarts = _plan.MaxRestarts,
            Round = round,
            Elapsed = _clock.Elapsed,
            Failures = [.. _failures],
            StuckRanks = [.. _stuck],
            RootCause = rootCause,
        };
    }

    private abstract record Outcome
    {
        public sealed record Succeeded : Outcome;

        public sealed record Failed(WorkerFailure Failure) : Outcome;

        public sealed record Stuck(RankStatus Rank) : Outcome;

        public sealed record MembershipChanged(string Reason) : Outcome;

        public sealed record Stopped(int Signal) : Outcome;

        public sealed record Lost(string Reason) : Outcome;
    }
}
