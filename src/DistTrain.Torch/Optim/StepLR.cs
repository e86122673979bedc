namespace DistTrain.Torch.Optim;

/// <summary>Multiplies the learning rate by <see cref="gamma"/> every <see cref="step_size"/> epochs (PyTorch's StepLR).</summary>
public sealed class StepLR : LRScheduler
{
    internal StepLR(Optimizer optimizer, int step_size, double gamma, int last_epoch) : base(optimizer, last_epoch)
    {
        if (step_size < 1) throw new ArgumentOutOfRangeException(nameof(step_size), step_size, "The step size must be at least 1.");
        this.step_size = step_size;
        this.gamma = gamma;
        InitialStep();
    }

    /// <summary>Epochs between decays.</summary>
    public int step_size { get; }

    /// <summary>The decay factor.</summary>
    public double gamma { get; }

    private protected override IEnumerable<(string Name, double Value)> Settings() => [("step_size", step_size), ("gamma", gamma)];

    protected override double[] get_lr()
    {
        var current = CurrentLrs();
        if (last_epoch == 0 || last_epoch % step_size != 0) return current;
        return current.Select(lr => lr * gamma).ToArray();
    }
}
