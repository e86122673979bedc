namespace DistTrain.Torch.Optim;

/// <summary>
/// Scales the learning rate linearly from <see cref="start_factor"/> × base to <see cref="end_factor"/> × base
/// over <see cref="total_iters"/> steps, then holds it: a linear warm-up (PyTorch's LinearLR).
/// </summary>
public sealed class LinearLR : LRScheduler
{
    internal LinearLR(Optimizer optimizer, double start_factor, double end_factor, int total_iters, int last_epoch) : base(optimizer, last_epoch)
    {
        if (start_factor is > 1.0 or <= 0)
            throw new ArgumentOutOfRangeException(nameof(start_factor), start_factor, "Starting multiplicative factor expected to be greater than 0 and less or equal to 1.");
        if (end_factor is > 1.0 or < 0)
            throw new ArgumentOutOfRangeException(nameof(end_factor), end_factor, "Ending multiplicative factor expected to be between 0 and 1.");
        if (total_iters < 1) throw new ArgumentOutOfRangeException(nameof(total_iters), total_iters, "total_iters must be at least 1.");
        this.start_factor = start_factor;
        this.end_factor = end_factor;
        this.total_iters = total_iters;
        InitialStep();
    }

    /// <summary>The factor applied at epoch 0.</summary>
    public double start_factor { get; }

    /// <summary>The factor reached at <see cref="total_iters"/>.</summary>
    public double end_factor { get; }

    /// <summary>Steps the ramp lasts.</summary>
    public int total_iters { get; }

    private protected override IEnumerable<(string Name, double Value)> Settings() =>
        [("start_factor", start_factor), ("end_factor", end_factor), ("total_iters", total_iters)];

    protected override double[] get_lr()
    {
        var current = CurrentLrs();
        if (last_epoch == 0) return current.Select(lr => lr * start_factor).ToArray();
        if (last_epoch > total_iters) return current;
        return current.Select(lr => lr * (1.0 + (end_factor - start_factor) /
                                          (total_iters * start_factor + (last_epoch - 1) * (end_factor - start_factor)))).ToArray();
    }
}
