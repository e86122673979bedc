using DistTrain.Torch;
using DistTrain.Torch.Distributed;

namespace DistTrain.Distributed;

/// <summary>How <see cref="DistributedContext.Initialize(DistributedOptions?)"/> sets a worker up; every setting has a default that suits <c>disttrain run</c>.</summary>
public sealed class DistributedOptions
{
    /// <summary>The device this rank computes on; null: <c>cuda:LOCAL_RANK</c> when CUDA is available, else the CPU.</summary>
    public torch.Device? Device { get; init; }

    /// <summary>The backend; null: NCCL for a CUDA device, Gloo for the CPU.</summary>
    public Backend? Backend { get; init; }

    /// <summary>The default timeout of every collective (PyTorch's default: 30 minutes).</summary>
    public TimeSpan Timeout { get; init; } = ProcessGroup.DefaultTimeout;

    /// <summary>How long store gets and waits (the process group's bootstrap) take at most.</summary>
    public TimeSpan StoreTimeout { get; init; } = Store.DefaultTimeout;

    /// <summary>Intra-op threads of this rank; null: OMP_NUM_THREADS if set, else the cores split evenly among the node's ranks (at least 1).</summary>
    public int? IntraOpThreads { get; init; }
}
