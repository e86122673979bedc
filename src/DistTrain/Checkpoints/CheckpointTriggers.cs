using System.Runtime.InteropServices;

namespace DistTrain.Checkpoints;

/// <summary>
/// When to checkpoint, checked by the training loop between steps: every <see cref="EveryNSteps"/> steps,
/// every <see cref="Every"/> of wall time, at the end, and when the process is asked to stop or warned
/// (SIGTERM, or SIGUSR1: SLURM's <c>--signal</c> warning, which <c>disttrain run</c> forwards to workers).
/// A signal only sets a flag (<see cref="SignalReceived"/>); the save happens at the next step boundary,
/// and after SIGTERM <see cref="StopRequested"/> tells the loop to leave once it saved. Dispose it to
/// give the signals back their default handling.
/// <code>
/// using var triggers = new CheckpointTriggers { EveryNSteps = 50, Every = TimeSpan.FromMinutes(30) };
/// triggers.HandleSignals();
/// for (var step = start; step &lt; steps; step++)
/// {
///     Train();
///     if (triggers.ShouldSave(step + 1, last: step + 1 == steps))
///         _ = checkpoints.SaveAsync(step + 1, progress);
///     if (triggers.StopRequested) break;
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
    private volatile int _signal;
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

    /// <summary>The signal that asked for a checkpoint and is not yet served (SIGTERM's or SIGUSR1's number), or 0.</summary>
    public int SignalReceived => _signal;

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
            _signal = 15;
        }));
        _registrations.Add(PosixSignalRegistration.Create((PosixSignal)SigUsr1, context =>
        {
            context.Cancel = true;
            _signal = SigUsr1;
        }));
    }

    /// <summary>Sets the flag as a signal would (for a loop that learns of a stop another way).</summary>
    public void Request(bool stop = false)
    {
        _signal = stop ? 15 : SigUsr1;
        _stop |= stop;
    }

    /// <summary>
    /// Whether to checkpoint now that <paramref name="step"/> steps are done: a multiple of <see cref="EveryNSteps"/>,
    /// <see cref="Every"/> passed, a signal arrived, or <paramref name="last"/>. A true answer counts as a save
    /// (the time interval and the signal flag start over). Every rank must get the same answer: time and
    /// signals differ between ranks, so agree on them (an all_reduce MAX of the answer) when they are used.
    /// </summary>
    public bool ShouldSave(long step, bool last = false)
    {
        var due = last
            || (EveryNSteps > 0 && step % EveryNSteps == 0)
            || (Every is { } every && _time.GetElapsedTime(_lastSave) >= every)
            || _signal != 0;
        if (due)
        {
            _lastSave = _time.GetTimestamp();
            _signal = 0;
        }

        return due;
    }

    /// <summary>Gives SIGTERM and SIGUSR1 back their default handling.</summary>
    public void Dispose()
    {
        foreach (var registration in _registrations)
            registration.Dispose();
        _registrations.Clear();
    }
}
