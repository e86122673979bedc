using TorchSharp;
using static TorchSharp.torch;

namespace DistTrain.Distributed;

/// <summary>
/// PyTorch's <c>torch.distributed</c> entry points over the process's <see cref="DistributedContext"/>:
/// <c>dist.init_process_group()</c>, <c>dist.get_rank()</c>, <c>dist.all_reduce(t)</c>…
/// </summary>
public static class dist
{
    /// <summary>Initializes the context from the launcher's environment (<see cref="DistributedContext.Initialize(DistributedOptions?)"/>).</summary>
    public static DistributedContext init_process_group(DistributedOptions? options = null) => DistributedContext.Initialize(options);

    /// <summary>Whether the context is initialized.</summary>
    public static bool is_initialized() => DistributedContext.Current is not null;

    /// <summary>This worker's global rank.</summary>
    public static int get_rank() => Context.Rank;

    /// <summary>The number of workers.</summary>
    public static int get_world_size() => Context.WorldSize;

    /// <summary>The default process group.</summary>
    public static ProcessGroup group => Context.ProcessGroup;

    /// <summary>Reduces <paramref name="tensor"/> across all ranks in place (<see cref="ProcessGroup.all_reduce"/>).</summary>
    public static void all_reduce(Tensor tensor, ReduceOp op = ReduceOp.SUM, TimeSpan? timeout = null) => group.all_reduce(tensor, op, timeout);

    /// <summary>Copies rank <paramref name="src"/>'s tensor to every rank (<see cref="ProcessGroup.broadcast"/>).</summary>
    public static void broadcast(Tensor tensor, int src = 0, TimeSpan? timeout = null) => group.broadcast(tensor, src, timeout);

    /// <summary>Gathers every rank's tensor (<see cref="ProcessGroup.all_gather"/>).</summary>
    public static void all_gather(IList<Tensor> outputs, Tensor input, TimeSpan? timeout = null) => group.all_gather(outputs, input, timeout);

    /// <summary>Reduces and scatters (<see cref="ProcessGroup.reduce_scatter"/>).</summary>
    public static void reduce_scatter(Tensor output, IList<Tensor> inputs, ReduceOp op = ReduceOp.SUM, TimeSpan? timeout = null) =>
        group.reduce_scatter(output, inputs, op, timeout);

    /// <summary>Blocks until every rank reached it (<see cref="ProcessGroup.barrier"/>).</summary>
    public static void barrier(TimeSpan? timeout = null) => group.barrier(timeout);

    /// <summary>Releases the context (process group, store, coordinator connection).</summary>
    public static void destroy_process_group() => DistributedContext.Current?.Dispose();

    private static DistributedContext Context => DistributedContext.Current
        ?? throw new InvalidOperationException("The distributed context is not initialized: call dist.init_process_group() first.");
}
