using DistTrain.Torch.Optim;

namespace DistTrain.Torch;

public static partial class torch
{
    /// <summary>Optimizers, in PyTorch's shapes: <c>torch.optim.SGD(model.parameters(), lr: 0.1, momentum: 0.9)</c>.</summary>
    public static partial class optim
    {
        private static IEnumerable<ParamGroup> OneGroup(IEnumerable<Tensor> parameters)
        {
            ArgumentNullException.ThrowIfNull(parameters);
            return [new ParamGroup(parameters)];
        }

        /// <summary>SGD over <paramref name="parameters"/>; see <see cref="Optim.SGD"/>.</summary>
        /// <param name="parameters">The tensors to update (leaves).</param>
        /// <param name="lr">Learning rate.</param>
        /// <param name="momentum">Momentum factor (0 = none).</param>
        /// <param name="dampening">Dampening of the momentum.</param>
        /// <param name="weight_decay">L2 penalty added to the gradient.</param>
        /// <param name="nesterov">Nesterov momentum (needs momentum &gt; 0 and zero dampening).</param>
        /// <param name="maximize">Ascend the objective instead of descending it.</param>
        public static Optim.SGD SGD(IEnumerable<Tensor> parameters, double lr, double momentum = 0, double dampening = 0,
            double weight_decay = 0, bool nesterov = false, bool maximize = false) =>
            new(OneGroup(parameters), lr, momentum, dampening, weight_decay, nesterov, maximize);

        /// <summary>SGD over parameter groups, each able to override the defaults given here.</summary>
        public static Optim.SGD SGD(IEnumerable<ParamGroup> groups, double lr, double momentum = 0, double dampening = 0,
            double weight_decay = 0, bool nesterov = false, bool maximize = false) =>
            new(groups, lr, momentum, dampening, weight_decay, nesterov, maximize);

        /// <summary>Adam over <paramref name="parameters"/>; see <see cref="Optim.Adam"/>.</summary>
        /// <param name="parameters">The tensors to update (leaves).</param>
        /// <param name="lr">Learning rate.</param>
        /// <param name="beta1">Decay of the running mean of gradients.</param>
        /// <param name="beta2">Decay of the running mean of squared gradients.</param>
        /// <param name="eps">Added to the denominator for numerical stability.</param>
        /// <param name="weight_decay">L2 penalty added to the gradient.</param>
        /// <param name="amsgrad">Use the maximum of past squared-gradient averages (AMSGrad).</param>
        /// <param name="maximize">Ascend the objective instead of descending it.</param>
        public static Optim.Adam Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
            double eps = 1e-8, double weight_decay = 0, bool amsgrad = false, bool maximize = false) =>
            new(OneGroup(parameters), lr, beta1, beta2, eps, weight_decay, amsgrad, maximize);

        /// <summary>Adam over parameter groups, each able to override the defaults given here.</summary>
        public static Optim.Adam Adam(IEnumerable<ParamGroup> groups, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
            double eps = 1e-8, double weight_decay = 0, bool amsgrad = false, bool maximize = false) =>
            new(groups, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize);

        /// <summary>AdamW (decoupled weight decay) over <paramref name="parameters"/>; see <see cref="Optim.AdamW"/>.</summary>
        public static Optim.AdamW AdamW(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
            double eps = 1e-8, double weight_decay = 1e-2, bool amsgrad = false, bool maximize = false) =>
            new(OneGroup(parameters), lr, beta1, beta2, eps, weight_decay, amsgrad, maximize);

        /// <summary>AdamW over parameter groups, each able to override the defaults given here.</summary>
        public static Optim.AdamW AdamW(IEnumerable<ParamGroup> groups, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
            double eps = 1e-8, double weight_decay = 1e-2, bool amsgrad = false, bool maximize = false) =>
            new(groups, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize);
    }
}
