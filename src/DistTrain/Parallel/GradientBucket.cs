using DistTrain.Native;
using TorchSharp;

namespace DistTrain.Parallel;

/// <summary>
/// One flat tensor holding the gradients of several parameters of the same element type and device,
/// averaged with a single all-reduce. Each parameter's gradient is a view into it (shaped like the
/// parameter), so backward accumulates straight into the bucket and the optimizer reads the averaged
/// values from it: no copies in either direction while the views stay in place.
/// </summary>
internal sealed class GradientBucket : IDisposable
{
    private readonly torch.Tensor[] views;
    private readonly IntPtr[] addresses;

    /// <summary>
    /// A zeroed bucket for <paramref name="parameters"/> (indices into <paramref name="all"/>), laid out in that
    /// order; on the CPU it lives in <paramref name="group"/>'s shared memory where it can (every rank creates its
    /// buckets in the same order), so that averaging it copies nothing through the group's channel.
    /// </summary>
    public GradientBucket(int index, int[] parameters, IReadOnlyList<TorchSharp.Modules.Parameter> all, Distributed.ProcessGroup group)
    {
        Index = index;
        Parameters = parameters;
        var first = all[parameters[0]];
        long total = 0;
        foreach (var p in parameters) total += all[p].numel();
        Flat = (first.device.type == DeviceType.CPU && group.UsesLocalAllReduce
            ? group.empty_shared([total], first.dtype).zero_()
            : torch.zeros([total], first.dtype, first.device)).DetachFromDisposeScope();
        views = new torch.Tensor[parameters.Length];
        addresses = new IntPtr[parameters.Length];
        long offset = 0;
        for (var slot = 0; slot < parameters.Length; slot++)
        {
            var parameter = all[parameters[slot]];
            var numel = parameter.numel();
            using var slice = Flat.narrow(0, offset, numel);
            views[slot] = slice.view(parameter.shape).DetachFromDisposeScope();
            addresses[slot] = TensorMemory.Address(views[slot]);
            offset += numel;
        }
        Pending = parameters.Length;
    }

    /// <summary>The bucket's position in the issue order.</summary>
    public int Index { get; }

    /// <summary>Indices of the parameters whose gradients live here, in layout order.</summary>
    public int[] Parameters { get; }

    /// <summary>The flat, 1-D tensor the all-reduce runs on.</summary>
    public torch.Tensor Flat { get; }

    /// <summary>Size of the flat tensor in bytes.</summary>
    public long Bytes => Flat.numel() * Flat.ElementSize;

    /// <summary>Parameters of this bucket whose gradient is not ready yet in the current backward.</summary>
    public int Pending { get; set; }

    /// <summary>The gradient view of the parameter at <paramref name="slot"/> (shaped like it).</summary>
    public torch.Tensor View(int slot) => views[slot];

    /// <summary>Whether <paramref name="gradient"/> is the slot's view (the same memory, shape and type).</summary>
    public bool IsView(int slot, torch.Tensor gradient) =>
        TensorMemory.Address(gradient) == addresses[slot] && gradient.dtype == Flat.dtype && gradient.shape.SequenceEqual(views[slot].shape);

    /// <summary>Copies <paramref name="gradient"/> (a tensor of its own, not the view) into the slot.</summary>
    public void CopyIn(int slot, torch.Tensor gradient) => views[slot].copy_(gradient);

    /// <summary>Zeroes the slot's gradient (a parameter without one this step contributes nothing).</summary>
    public void ZeroSlot(int slot) => views[slot].zero_();

    /// <summary>Prepares for the next backward: every parameter pending again.</summary>
    public void Reset() => Pending = Parameters.Length;

    public void Dispose()
    {
        foreach (var v in views) v.Dispose();
        Flat.Dispose();
    }
}
