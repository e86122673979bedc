using DistTrain.Protocol.V1;

namespace DistTrain.Telemetry;

/// <summary>
/// Where this process's training is, for its last words: the last completed step and the last
/// collective. Whoever knows them registers a reader (the process group its collectives, the step
/// recorder its steps); read only when the process dies, so the readers may be slow.
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
}
