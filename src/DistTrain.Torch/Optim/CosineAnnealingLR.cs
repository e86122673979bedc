namespace DistTrain.Torch.Optim;

/// <summary>
/// Anneals the learning rate from its base value to <see cref="eta_min"/> along a cosine over
/// <see cref="T_max"/> epochs, without restarts (PyTorch's CosineAnnealingLR, recursive form).
/// </summary>
public sealed class CosineAnnealingLR : LRScheduler
{
    internal CosineAnnealingLR(Optimizer optimizer, int T_max, double eta_min, int last_epoch) : base(optimizer, last_epoch)
    {
        if (T_max < 1) throw new ArgumentOutOfRangeException(nameof(T_max), T_max, "T_max must be at least 1.");
        this.T_max = T_max;
        this.eta_min = eta_min;
        InitialStep();
    }

    /// <summary>Epochs in half a cosine period.</summary>
    public int T_max { get; }

    /// <summary>The smallest learning rate.</summary>
    public double eta_min { get; }

    private protected override IEnumerable<(string Name, double Value)> Settings() => [("T_max", T_max), ("eta_min", eta_min)];

    protected override double[] get_lr()
    {
        var current = CurrentLrs();
        if (last_epoch == 0) return current;
        if (step_count == 1 && last_epoch > 0)
            return base_lrs.Select(b => eta_min + (b - eta_min) * (1 + Math.Cos(last_epoch * Math.PI / T_max)) / 2).ToArray();
        if ((last_epoch - 1 - T_max) % (2 * T_max) == 0)
            return current.Select((lr, i) => lr + (base_lrs[i] - eta_min) * (1 - Math.Cos(Math.PI / T_max)) / 2).ToArray();
        return current.Select(lr => (1 + Math.Cos(Math.PI * last_epoch / T_max)) /
                                    (1 + Math.Cos(Math.PI * (last_epoch - 1) / T_max)) * (lr - eta_min) + eta_min).ToArray();
    }
}
