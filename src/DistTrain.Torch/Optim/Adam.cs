namespace DistTrain.Torch.Optim;

/// <summary>
/// Adam, optionally with AMSGrad; weight decay is L2 added to the gradient. Updates exactly as
/// PyTorch 1.13's <c>torch.optim.Adam</c>. Create it with <c>torch.optim.Adam(...)</c>.
/// </summary>
public class Adam : Optimizer
{
    private static readonly string[] Names = ["lr", "beta1", "beta2", "eps", "weight_decay", "amsgrad", "maximize"];
    private static readonly string[] Flags = ["amsgrad", "maximize"];
    private static readonly string[] State = ["step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"];

    private protected Adam(int kind, IEnumerable<ParamGroup> groups, double lr, double beta1, double beta2, double eps, double weight_decay, bool amsgrad, bool maximize)
        : base(kind, groups, Names, [lr, beta1, beta2, eps, weight_decay, amsgrad ? 1 : 0, maximize ? 1 : 0], Flags, State)
    {
    }

    internal Adam(IEnumerable<ParamGroup> groups, double lr, double beta1, double beta2, double eps, double weight_decay, bool amsgrad, bool maximize)
        : this(1, groups, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize)
    {
    }

    private protected override void Validate(ParamGroup group)
    {
        if (group.lr < 0) throw new ArgumentException($"Invalid learning rate: {group.lr} (it must be >= 0).");
        if (group["eps"] < 0) throw new ArgumentException($"Invalid epsilon value: {group["eps"]} (it must be >= 0).");
        if (group["beta1"] is < 0 or >= 1) throw new ArgumentException($"Invalid beta parameter at index 0: {group["beta1"]} (it must be in [0, 1)).");
        if (group["beta2"] is < 0 or >= 1) throw new ArgumentException($"Invalid beta parameter at index 1: {group["beta2"]} (it must be in [0, 1)).");
        if (group["weight_decay"] < 0) throw new ArgumentException($"Invalid weight_decay value: {group["weight_decay"]} (it must be >= 0).");
    }

    /// <summary>PyTorch keeps the two betas as one "betas" pair.</summary>
    private protected override void ExportOptions(ParamGroup group, Dictionary<string, object> entry)
    {
        base.ExportOptions(group, entry);
        entry.Remove("beta1");
        entry.Remove("beta2");
        entry["betas"] = new[] { group["beta1"], group["beta2"] };
    }

    private protected override void ImportOptions(Dictionary<string, object> entry, ParamGroup group)
    {
        base.ImportOptions(entry, group);
        if (!entry.TryGetValue("betas", out var value)) return;
        var betas = ToDoubleArray(value, "betas");
        if (betas.Length != 2) throw new ArgumentException($"The hyper-parameter 'betas' must hold two numbers but holds {betas.Length}.");
        group["beta1"] = betas[0];
        group["beta2"] = betas[1];
    }
}

/// <summary>
/// Adam with decoupled weight decay (the parameter shrinks by lr × weight_decay before the Adam update),
/// exactly as PyTorch 1.13's <c>torch.optim.AdamW</c>. Create it with <c>torch.optim.AdamW(...)</c>.
/// </summary>
public sealed class AdamW : Adam
{
    internal AdamW(IEnumerable<ParamGroup> groups, double lr, double beta1, double beta2, double eps, double weight_decay, bool amsgrad, bool maximize)
        : base(2, groups, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize)
    {
    }
}
