using System.Globalization;

namespace DistTrain.Launcher.Settings;

/// <summary>What <c>--nproc-per-node</c> asks for.</summary>
public enum NprocKind
{
    /// <summary>A fixed number of workers.</summary>
    Count,

    /// <summary>One worker per visible GPU (an error when there is none).</summary>
    Gpu,

    /// <summary>One worker per CPU core.</summary>
    Cpu,

    /// <summary>One per GPU when there are GPUs, otherwise one per CPU core.</summary>
    Auto,
}

/// <summary><c>--nproc-per-node</c>: <c>N</c>, <c>gpu</c>, <c>cpu</c> or <c>auto</c>.</summary>
/// <param name="Kind">What was asked.</param>
/// <param name="Count">The number when <paramref name="Kind"/> is <see cref="NprocKind.Count"/>.</param>
public readonly record struct NprocSpec(NprocKind Kind, int Count)
{
    /// <inheritdoc />
    public override string ToString() => Kind == NprocKind.Count ? Count.ToString(CultureInfo.InvariantCulture) : Kind.ToString().ToLowerInvariant();
}
