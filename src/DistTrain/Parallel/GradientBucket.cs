using DistTrain.Torch;

namespace DistTrain.Parallel;

/// <summary>
/// One flat tensor holding the gradients of several parameters of the same element type and device,
/// reduced with a single all-reduce. Each parameter's gradient is a view into it (same shape as the
/// parameter), so backward accumulates straight into the bucket and the optimizer reads the reduced
/// values from it: no copies in either direction.
/// </summary>
internal sealed class GradientBucket : IDisposable
{
    private readonly torch.Tensor[] views;
    private readonly bool[] averaged;

    /// <summary>A zeroed bucket for <paramref name="parameters"/> (indices into <paramref name="all"/>), laid out in that order.</summary>
    public GradientBucket(int index, int[] parameters, IReadOnlyList<torch.nn.Parameter> all)
    {
        Index = index;
        Parameters = parameters;
        var first = all[parameters[0]];
        long total = 0;
        foreach (var p in parameters) total += all[p].numel();
        Flat = torch.zeros([total], first.dtype, first.device).DetachFromDisposeScope();
        views = new torch.Tensor[parameters.Length];
        averaged = new bool[parameters.Length];
        long offset = 0;
        for (var slot = 0; slot < parameters.Length; slot++)
        {
            var parameter = all[parameters[slot]];
            var numel = parameter.numel();
            using var slice = Flat.narrow(0, offset, numel);
            views[slot] = slice.view(parameter.shape).DetachFromDisposeScope();
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

    /// <summary>The gradient view of the parameter at <paramref name="slot"/> (shaped like it).</summary>
    public torch.Tensor View(int slot) => views[slot];

    /// <summary>Parameters of this bucket whose gradient is not ready yet in the current backward.</summary>
    public int Pending { get; set; }

    /// <summary>
    /// Makes <paramref name="gradient"/> (a new tensor, not the slot's view) this step's contribution of the
    /// parameter at <paramref name="slot"/>: divided by <paramref name="worldSize"/> while copied in, one pass.
    /// </summary>
    public void CopyInAveraged(int slot, torch.Tensor gradient, int worldSize)
    {
        torch.mul(gradient, 1.0 / worldSize, views[slot]);
        averaged[slot] = true;
    }

    /// <summary>Zeroes the slot's gradient (a parameter without one this step contributes nothing).</summary>
    public void ZeroSlot(int slot)
    {
        views[slot].zero_();
        averaged[slot] = true;
    }

    /// <summary>Divides by <paramref name="worldSize"/> every gradient not averaged while copied in, so the all-reduce's sum is the average.</summary>
    public void AverageTheRest(int worldSize)
    {
        var remaining = averaged.Count(a => !a);
        if (remaining == averaged.Length) Flat.div_(worldSize);
        else if (remaining > 0)
        {
            for (var slot = 0; slot < views.Length; slot++)
                if (!averaged[slot]) views[slot].div_(worldSize);
        }
    }

    /// <summary>Size of the flat tensor in bytes.</summary>
    public long Bytes => Flat.numel() * torch.ElementSize(Flat.dtype);

    /// <summary>Starts the next backward: every parameter pending again, none averaged.</summary>
    public void Reset()
    {
        Pending = Parameters.Length;
        Array.Clear(averaged);
    }

    /// <summary>Releases the flat tensor and its views (the parameters' gradients stop being views into it only when reassigned).</summary>
    public void Dispose()
    {
        foreach (var v in views) v.Dispose();
        Flat.Dispose();
    }
}
