namespace DistTrain.Torch.Optim;

/// <summary>
/// Base of the learning-rate schedulers, following PyTorch 1.13's chainable form: each
/// <see cref="step"/> advances <see cref="last_epoch"/> and sets every group's lr from its current
/// value. Constructing a scheduler performs the first step (epoch 0), as in PyTorch.
/// </summary>
public abstract class LRScheduler
{
    private double[] lastLr = [];

    private protected LRScheduler(Optimizer optimizer, int last_epoch)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        this.optimizer = optimizer;
        if (last_epoch == -1)
        {
            foreach (var group in optimizer.param_groups) group.initial_lr ??= group.lr;
        }
        else
        {
            for (var i = 0; i < optimizer.param_groups.Count; i++)
                if (optimizer.param_groups[i].initial_lr is null)
                    throw new ArgumentException($"param 'initial_lr' is not specified in param_groups[{i}] when resuming a scheduler (last_epoch = {last_epoch}).");
        }
        base_lrs = optimizer.param_groups.Select(g => g.initial_lr!.Value).ToArray();
        this.last_epoch = last_epoch;
    }

    /// <summary>Runs the first step; called by each scheduler's constructor once its own fields are set.</summary>
    private protected void InitialStep()
    {
        step_count = 0;
        step();
    }

    /// <summary>The optimizer whose learning rates this scheduler sets.</summary>
    public Optimizer optimizer { get; }

    /// <summary>Each group's learning rate when the schedule started.</summary>
    public IReadOnlyList<double> base_lrs { get; }

    /// <summary>The index of the last epoch (or iteration) stepped; 0 after construction.</summary>
    public int last_epoch { get; private set; }

    /// <summary>How many times <see cref="step"/> has run, the constructor's included.</summary>
    protected int step_count { get; private set; }

    /// <summary>The learning rates for the current <see cref="last_epoch"/>, from the groups' current ones.</summary>
    protected abstract double[] get_lr();

    /// <summary>Advances the schedule by one epoch (or iteration) and sets every group's learning rate.</summary>
    public void step()
    {
        step_count++;
        last_epoch++;
        var values = get_lr();
        for (var i = 0; i < values.Length; i++) optimizer.param_groups[i].lr = values[i];
        lastLr = values;
    }

    /// <summary>The learning rates the last <see cref="step"/> set, one per group.</summary>
    public IReadOnlyList<double> get_last_lr() => lastLr;

    /// <summary>Each group's current learning rate.</summary>
    protected double[] CurrentLrs() => optimizer.param_groups.Select(g => g.lr).ToArray();
}

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

    protected override double[] get_lr()
    {
        var current = CurrentLrs();
        if (last_epoch == 0 || last_epoch % step_size != 0) return current;
        return current.Select(lr => lr * gamma).ToArray();
    }
}

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

    protected override double[] get_lr()
    {
        var current = CurrentLrs();
        if (last_epoch == 0) return current.Select(lr => lr * start_factor).ToArray();
        if (last_epoch > total_iters) return current;
        return current.Select(lr => lr * (1.0 + (end_factor - start_factor) /
                                          (total_iters * start_factor + (last_epoch - 1) * (end_factor - start_factor)))).ToArray();
    }
}
