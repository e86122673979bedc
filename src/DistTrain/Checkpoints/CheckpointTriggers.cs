using System.Runtime.InteropServices;
using DistTrain.Distributed;
using static TorchSharp.torch;

namespace DistTrain.Checkpoints;

/// <summary>
/// When to checkpoint, checked by the training loop between steps: every <see cref="EveryNSteps"/> steps,
/// every <see cref="Every"/> of wall time, at the end, and when the process is asked to stop or warned
/// (SIGTERM, or SIGUSR1: SLURM's <c>--signal</c> warning, which <c>disttrain run</c> forwards to workers).
/// A signal only sets a flag (<see cref="SignalReceived"/>); the save happens at the next step boundary,
/// and after SIGTERM <see cref="StopRequested"/> tells the loop to leave once it saved. Dispose it to
/// give the signals back their default handling. Data-parallel ranks must decide alike: <see cref="Decide"/>
/// agrees with the other ranks (time and signals differ between them) every <see cref="AgreeEverySteps"/> steps.
/// <code>
/// using var triggers = new CheckpointTriggers { EveryNSteps = 50, Every = TimeSpan.FromMinutes(30) };
/// triggers.HandleSignals();
/// for (var step = start; step &lt; steps; step++)
/// {
///     Train();
///     var decision = triggers.Decide(group, step + 1, last: step + 1 == steps);
///     if (decision.Save)
///         _ = checkpoints.SaveAsync(step + 1, progress);
///     if (decision.Stop) break;
/// }
/// </code>
/// </summary>
public sealed class CheckpointTriggers : IDisposable
{
    /// <summary>SIGUSR1's number on Linux (.NET's <see cref="PosixSignal"/> has no name for it).</summary>
    public const int SigUsr1 = 10;

    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly TimeProvider _time;
    private long _lastSave;
    private int _signal; // set by the signal handlers' thread: read through Volatile, cleared through Interlocked
    private volatile bool _stop;

    /// <summary>Triggers on <paramref name="time"/>'s clock (the system's by default); the wall-time interval counts from now.</summary>
    public CheckpointTriggers(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _lastSave = _time.GetTimestamp();
    }

    /// <summary>Save when the step count is a multiple of this; 0: not by steps.</summary>
    public int EveryNSteps { get; init; }

    /// <summary>Save when this much wall time passed since the last save; null: not by time.</summary>
    public TimeSpan? Every { get; init; }

    /// <summary>
    /// How often <see cref="Decide"/> makes the ranks agree on the time trigger and the signals (a small all_reduce):
    /// after every this many steps, and after the last. Between those steps a signal waits (at most this many steps)
    /// and the wall-time interval may be overrun by as many. 10 by default; 1: every step.
    /// </summary>
    public int AgreeEverySteps
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(AgreeEverySteps), value, "Agree at least every step (1) or less often (more).");
    } = 10;

    /// <summary>The signal that asked for a checkpoint and is not yet served (SIGTERM's or SIGUSR1's number), or 0.</summary>
    public int SignalReceived => Volatile.Read(ref _signal);

    /// <summary>Whether SIGTERM arrived: save, then leave the loop.</summary>
    public bool StopRequested => _stop;

    /// <summary>
    /// Handles SIGTERM and SIGUSR1 from now on: each sets the flag instead of ending the process (SIGTERM also
    /// sets <see cref="StopRequested"/>). Call once, from the training thread.
    /// </summary>
    public void HandleSignals()
    {
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            _stop = true;
            Volatile.Write(ref _signal, 15);
        }));
        _registrations.Add(PosixSignalRegistration.Create((PosixSignal)SigUsr1, context =>
        {
            context.Cancel = true;
            Volatile.Write(ref _signal, SigUsr1);
        }));
    }

    /// <summary>Sets the flag as a signal would (for a loop that learns of a stop another way).</summary>
    public void Request(bool stop = false)
    {
        Volatile.Write(ref _signal, stop ? 15 : SigUsr1);
        _stop |= stop;
    }

    /// <summary>
    /// Whether to checkpoint now that <paramref name="step"/> steps are done: a multiple of <see cref="EveryNSteps"/>,
    /// <see cref="Every"/> passed, a signal arrived, or <paramref name="last"/>. A true answer counts as a save
    /// (the time interval and the signal flag start over). This rank's answer alone: data-parallel ranks use <see cref="Decide"/>.
    /// </summary>
    public bool ShouldSave(long step, bool last = false)
    {
        var signal = SignalReceived;
        var due = IsDue(step, last, signal);
        if (due)
        {
            _lastSave = _time.GetTimestamp();
            Interlocked.CompareExchange(ref _signal, 0, signal);
        }

        return due;
    }

    /// <summary>
    /// What every rank of <paramref name="group"/> does now that <paramref name="step"/> steps are done: save, and whether
    /// a signal asked for it and whether to stop. The same answer on every rank: <see cref="EveryNSteps"/> and
    /// <paramref name="last"/> are alike everywhere; the time trigger and the signals are agreed on (an all_reduce MAX)
    /// after every <see cref="AgreeEverySteps"/> steps, at every save by steps and after the last, so every rank must call this after every step.
    /// Without a group (or a world of one) it decides alone after every step, as <see cref="ShouldSave"/>.
    /// </summary>
    public CheckpointDecision Decide(ProcessGroup? group, long step, bool last = false)
    {
        if (group is null || group.size() == 1)
        {
            var signal = SignalReceived;
            return new CheckpointDecision(ShouldSave(step, last), signal, _stop);
        }

        var byStep = EveryNSteps > 0 && step % EveryNSteps == 0;
        if (!last && !byStep && step % AgreeEverySteps != 0)
            return new CheckpointDecision(false, 0, false);

        var mine = SignalReceived;
        using var votes = tensor(new float[] { IsDue(step, last, mine) ? 1 : 0, mine, _stop ? 1 : 0 });
        group.all_reduce(votes, ReduceOp.MAX);
        var agreed = votes.data<float>().ToArray();
        var decision = new CheckpointDecision(agreed[0] > 0, (int)agreed[1], agreed[2] > 0);
        if (decision.Save)
        {
            _lastSave = _time.GetTimestamp();
            Interlocked.CompareExchange(ref _signal, 0, mine); // a signal that arrived since stays for the next agreement
        }

        return decision;
    }

    private bool IsDue(long step, bool last, int signal) =>
        last
        || (EveryNSteps > 0 && step % EveryNSteps == 0)
        || (Every is { } every && _time.GetElapsedTime(_lastSave) >= every)
        || signal != 0;

    /// <summary>Gives SIGTERM and SIGUSR1 back their default handling.</summary>
    public void Dispose()
    {
        foreach (var registration in _registrations)
            registration.Dispose();
        _registrations.Clear();
    }
}
