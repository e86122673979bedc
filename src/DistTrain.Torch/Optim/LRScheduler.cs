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
