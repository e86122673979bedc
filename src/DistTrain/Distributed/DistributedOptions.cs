using DistTrain.Protocol.Launch;
using TorchSharp;

namespace DistTrain.Distributed;

/// <summary>How <see cref="DistributedContext.Initialize(DistributedOptions?)"/> sets a worker up; every setting has a default that suits <c>disttrain run</c>.</summary>
public sealed class DistributedOptions
{
    /// <summary>The device this rank computes on; null: the CPU without GPUs, <c>cuda:0</c> when the worker sees one GPU, <c>cuda:LOCAL_RANK</c> when it sees several.</summary>
    public torch.Device? Device { get; init; }

    /// <summary>The backend; null: NCCL for a CUDA device, Gloo for the CPU.</summary>
    public Backend? Backend { get; init; }

    /// <summary>The default timeout of every collective (PyTorch's default: 30 minutes).</summary>
    public TimeSpan Timeout { get; init; } = ProcessGroup.DefaultTimeout;

    /// <summary>How long store gets and waits (the process group's bootstrap) take at most.</summary>
    public TimeSpan StoreTimeout { get; init; } = Store.DefaultTimeout;

    /// <summary>Intra-op threads of this rank; null: OMP_NUM_THREADS if set, else the cores split evenly among the node's ranks (at least 1).</summary>
    public int? IntraOpThreads { get; init; }

    /// <summary>
    /// Tune glibc malloc for training loops (serve blocks up to 32 MiB from the heap, keep up to 1 GiB of
    /// freed memory), so that steps reuse the memory of the previous one instead of page-faulting it in
    /// again; thresholds the user set (MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_) win. Default: on,
    /// unless DISTTRAIN_MALLOC_TUNING=0.
    /// </summary>
    public bool TuneMalloc { get; init; } = System.Environment.GetEnvironmentVariable(LaunchVariables.MallocTuning.Name) != "0";
}
