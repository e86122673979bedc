namespace DistTrain.Torch.Optim;

/// <summary>
/// Stochastic gradient descent with optional momentum, Nesterov momentum and weight decay (L2 added
/// to the gradient), updating exactly as PyTorch 1.13's <c>torch.optim.SGD</c>. Create it with
/// <see cref="torch.optim.SGD(IEnumerable{torch.Tensor}, double, double, double, double, bool, bool)"/>.
/// </summary>
public sealed class SGD : Optimizer
{
    private static readonly string[] Names = ["lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize"];
    private static readonly string[] Flags = ["nesterov", "maximize"];
    private static readonly string[] State = ["momentum_buffer"];

    internal SGD(IEnumerable<ParamGroup> groups, double lr, double momentum, double dampening, double weight_decay, bool nesterov, bool maximize)
        : base(0, groups, Names, [lr, momentum, dampening, weight_decay, nesterov ? 1 : 0, maximize ? 1 : 0], Flags, State)
    {
    }

    private protected override void Validate(ParamGroup group)
    {
        if (group.lr < 0) throw new ArgumentException($"Invalid learning rate: {group.lr} (it must be >= 0).");
        if (group["momentum"] < 0) throw new ArgumentException($"Invalid momentum value: {group["momentum"]} (it must be >= 0).");
        if (group["weight_decay"] < 0) throw new ArgumentException($"Invalid weight_decay value: {group["weight_decay"]} (it must be >= 0).");
        if (group["nesterov"] != 0 && (group["momentum"] <= 0 || group["dampening"] != 0))
            throw new ArgumentException($"Nesterov momentum requires a momentum > 0 and zero dampening (momentum = {group["momentum"]}, dampening = {group["dampening"]}).");
    }
}
