namespace DistTrain.Torch.Optim;

/// <summary>
/// Base of the learning-rate schedulers, following PyTorch 1.13's chainable form: each
/// <see cref="step"/> advances <see cref="last_epoch"/> and sets every group's lr from its current
/// value. Constructing a scheduler performs the first step (epoch 0), as in PyTorch. To resume, construct
/// the optimizer and the scheduler as before, then load the optimizer's state dict (it restores the learning
/// rates the scheduler's construction just set) and then the scheduler's <see cref="state_dict"/>.
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
    public IReadOnlyList<double> base_lrs { get; private set; }

    /// <summary>The index of the last epoch (or iteration) stepped; 0 after construction.</summary>
    public int last_epoch { get; private set; }

    /// <summary>This scheduler's settings under PyTorch's attribute names (step_size, gamma…), for the state dict.</summary>
    private protected abstract IEnumerable<(string Name, double Value)> Settings();

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

    /// <summary>
    /// The schedule's position under PyTorch's keys: <c>last_epoch</c>, <c>_step_count</c>, <c>base_lrs</c>,
    /// <c>_last_lr</c> (the two counters int, the two lists double[]), and the scheduler's settings as double
    /// (<c>step_size</c>, <c>gamma</c>…).
    /// </summary>
    public Dictionary<string, object> state_dict()
    {
        var state = new Dictionary<string, object>
        {
            ["last_epoch"] = last_epoch,
            ["_step_count"] = step_count,
            ["base_lrs"] = base_lrs.ToArray(),
            ["_last_lr"] = lastLr.ToArray(),
        };
        foreach (var (name, value) in Settings()) state[name] = value;
        return state;
    }

    /// <summary>
    /// Continues the schedule saved by <see cref="state_dict"/>. The settings must equal this scheduler's:
    /// a schedule resumed with another step size or horizon would silently be a different schedule.
    /// Does not touch the optimizer's learning rates (they come back with the optimizer's state dict).
    /// </summary>
    /// <exception cref="ArgumentException">A key is missing or has the wrong type, a list has the wrong length, or a setting differs.</exception>
    public void load_state_dict(IReadOnlyDictionary<string, object> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var groups = optimizer.param_groups.Count;
        foreach (var (name, value) in Settings())
        {
            var saved = Number(state, name);
            if (saved != value)
                throw new ArgumentException($"The scheduler state dict has {name} = {saved}, but this {GetType().Name} has {name} = {value}; construct the scheduler with the saved settings to resume its schedule.", nameof(state));
        }
        var epoch = (int)Number(state, "last_epoch");
        var steps = (int)Number(state, "_step_count");
        var bases = Lrs(state, "base_lrs", groups);
        var last = Lrs(state, "_last_lr", groups);
        last_epoch = epoch;
        step_count = steps;
        base_lrs = bases;
        lastLr = last;
    }

    private static object Entry(IReadOnlyDictionary<string, object> state, string key) =>
        state.TryGetValue(key, out var value)
            ? value
            : throw new ArgumentException($"The scheduler state dict has no '{key}'; pass a dictionary made by LRScheduler.state_dict().", nameof(state));

    private static double Number(IReadOnlyDictionary<string, object> state, string key)
    {
        var value = Entry(state, key);
        return value switch
        {
            int i => i,
            long l => l,
            double d => d,
            float f => f,
            _ => throw new ArgumentException($"The scheduler state dict's '{key}' must be a number, not {value?.GetType().Name ?? "null"}.", nameof(state)),
        };
    }

    private static double[] Lrs(IReadOnlyDictionary<string, object> state, string key, int groups)
    {
        var value = Entry(state, key);
        var lrs = value switch
        {
            double[] d => (double[])d.Clone(),
            IEnumerable<double> e => e.ToArray(),
            _ => throw new ArgumentException($"The scheduler state dict's '{key}' must be a list of numbers, not {value?.GetType().Name ?? "null"}.", nameof(state)),
        };
        if (lrs.Length != groups)
            throw new ArgumentException($"The scheduler state dict's '{key}' has {lrs.Length} learning rate(s), but the optimizer has {groups} parameter group(s).", nameof(state));
        return lrs;
    }

    /// <summary>Each group's current learning rate.</summary>
    protected double[] CurrentLrs() => optimizer.param_groups.Select(g => g.lr).ToArray();
}
