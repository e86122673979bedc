using DistTrain.Distributed;
using DistTrain.Protocol.V1;

namespace DistTrain.Telemetry;

/// <summary>
/// Where this process's training is, for its last words: the last completed step and the last
/// collective. Whoever knows them registers a reader (the process group its collectives, the step
/// recorder its steps); read whenever an exception is thrown (to note where it was thrown), so the
/// readers must be cheap.
/// </summary>
internal static class TrainingPosition
{
    private static Func<long>? _step;
    private static Func<CollectiveProgress?>? _collective;

    /// <summary>The last completed step (a 0-based count of steps done); 0 when nothing registered a reader.</summary>
    public static long Step => Volatile.Read(ref _step)?.Invoke() ?? 0;

    /// <summary>The last collective issued (or waited in), or null when nothing registered a reader.</summary>
    public static CollectiveProgress? Collective => Volatile.Read(ref _collective)?.Invoke();

    /// <summary>Reads the last completed step from <paramref name="step"/> from now on (null: nothing).</summary>
    public static void ReadStepFrom(Func<long>? step) => Volatile.Write(ref _step, step);

    /// <summary>Reads the last collective from <paramref name="collective"/> from now on (null: nothing).</summary>
    public static void ReadCollectiveFrom(Func<CollectiveProgress?>? collective) => Volatile.Write(ref _collective, collective);

    /// <summary>Reads the last collective from <paramref name="group"/>'s progress from now on; none before its first collective.</summary>
    public static void ReadCollectiveFrom(ProcessGroup group) =>
        ReadCollectiveFrom(() => group.Progress is { Sequence: > 0 } progress ? ToMessage(progress) : null);

    /// <summary>A process group's progress as telemetry.proto carries it.</summary>
    public static CollectiveProgress ToMessage(CollectiveState progress) => new()
    {
        Sequence = progress.Sequence,
        Name = progress.Name,
        Waiting = progress.Waiting,
        WaitingSinceUnixMs = progress.WaitingSince?.ToUnixTimeMilliseconds() ?? 0,
    };
}
