using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace DistTrain.Launcher.Terminal;

/// <summary>
/// The agent's one signal path, listening from the moment the command starts. The first SIGINT or
/// SIGTERM cancels <see cref="Stopping"/>, whatever arrived before it, and is remembered as
/// <see cref="StopSignal"/>; a second one cancels <see cref="Hurrying"/> (the workers' grace period
/// is cut short). SIGUSR1 is queued in <see cref="ToForward"/> until the agent has workers to pass
/// it to, so one that arrives before they start is not lost.
/// </summary>
public sealed class SignalInbox : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _hurrying = new();
    private readonly TaskCompletionSource<int> _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<int> _toForward = Channel.CreateUnbounded<int>();
    private readonly List<PosixSignalRegistration> _registrations = [];

    private SignalInbox()
    {
    }

    /// <summary>Cancelled by the first SIGINT or SIGTERM.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Cancelled by a second SIGINT or SIGTERM: whoever waits on workers' grace should kill them now.</summary>
    public CancellationToken Hurrying => _hurrying.Token;

    /// <summary>Completes with the number of the first SIGINT or SIGTERM.</summary>
    public Task<int> Stopped => _stopped.Task;

    /// <summary>The first SIGINT or SIGTERM received, or null.</summary>
    public int? StopSignal => _stopped.Task.IsCompleted ? _stopped.Task.Result : null;

    /// <summary>Signals for the workers (SIGUSR1), in the order they arrived.</summary>
    public ChannelReader<int> ToForward => _toForward.Reader;

    /// <summary>Takes over SIGINT, SIGTERM and (on Linux) SIGUSR1 for this process.</summary>
    public static SignalInbox Listen()
    {
        var inbox = new SignalInbox();
        inbox.Register(PosixSignal.SIGINT, Signals.SigInt);
        inbox.Register(PosixSignal.SIGTERM, Signals.SigTerm);
        if (OperatingSystem.IsLinux())
        {
            inbox.Register((PosixSignal)Signals.SigUsr1, Signals.SigUsr1);
        }

        return inbox;
    }

    private void Register(PosixSignal signal, int number) =>
        _registrations.Add(PosixSignalRegistration.Create(signal, context =>
        {
            context.Cancel = true;
            Receive(number);
        }));

    private void Receive(int number)
    {
        if (number != Signals.SigInt && number != Signals.SigTerm)
        {
            _toForward.Writer.TryWrite(number);
            return;
        }

        if (_stopped.TrySetResult(number))
        {
            _stopping.Cancel();
        }
        else
        {
            _hurrying.Cancel();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _stopping.Dispose();
        _hurrying.Dispose();
    }
}
