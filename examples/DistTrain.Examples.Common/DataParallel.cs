using DistTrain.Distributed;

namespace DistTrain.Examples;

/// <summary>
/// How the examples find out whether they run data-parallel: when started by a launcher
/// (<c>disttrain run --nproc-per-node 2 -- …</c> or torchrun) with WORLD_SIZE above 1, they join the job's
/// process group and train with DistributedDataParallel and a DistributedSampler; otherwise they train alone.
/// </summary>
public static class DataParallel
{
    /// <summary>The number of ranks this process was launched among (WORLD_SIZE; 1 when absent).</summary>
    public static int WorldSize() =>
        int.TryParse(Environment.GetEnvironmentVariable("WORLD_SIZE"), out var size) && size > 1 ? size : 1;

    /// <summary>Whether this process is rank 0 (RANK 0 or absent): the one that prints.</summary>
    public static bool IsMaster() => Environment.GetEnvironmentVariable("RANK") is null or "0";

    /// <summary>
    /// The distributed context when this process is one rank of several (WORLD_SIZE &gt; 1), joined now; null
    /// when it runs alone. Blocks until every rank has joined (at most the store's timeout). Rank 0 says how
    /// the gradients travel.
    /// </summary>
    /// <param name="threads">Intra-op threads of this rank.</param>
    public static DistributedContext? JoinIfLaunched(int threads)
    {
        if (WorldSize() == 1) return null;
        var context = DistributedContext.Initialize(new DistributedOptions { IntraOpThreads = threads, Device = TorchSharp.torch.CPU });
        var group = context.ProcessGroup;
        if (context.IsMaster)
        {
            var path = group.UsesLocalAllReduce ? "shared memory (every rank on this host)" : $"{group.BackendName} (not shared memory: {group.LocalAllReduceStatus})";
            Console.WriteLine($"{group.size()} ranks, {group.BackendName} process group; gradients summed through {path}");
        }

        return context;
    }
}
