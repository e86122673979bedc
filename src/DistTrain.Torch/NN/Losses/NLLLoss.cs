using DistTrain.Torch.Native;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Modules
{
    /// <summary>
    /// Negative log likelihood: −input[n, target[n]] (times the class weight). Input (N, C) or (N, C, d1, …)
    /// log-probabilities (from log_softmax); target (N) or (N, d1, …) class indices (int64).
    /// </summary>
    public sealed class NLLLoss : nn.Module<Tensor, Tensor, Tensor>
    {
        private readonly Tensor? _weight;

        internal NLLLoss(Tensor? weight, long ignore_index, nn.Reduction reduction) : base(nameof(NLLLoss))
        {
            _weight = weight?.alias();
            register_buffer("weight", _weight);
            this.ignore_index = ignore_index;
            this.reduction = reduction;
        }

        /// <summary>The per-class weight (C), or null.</summary>
        public Tensor? weight => _weight;
        /// <summary>Target value that contributes nothing.</summary>
        public long ignore_index { get; }
        /// <summary>How the per-sample losses are reduced (the weighted mean by default).</summary>
        public nn.Reduction reduction { get; }

        /// <inheritdoc />
        public override Tensor forward(Tensor input, Tensor target) => nn.functional.nll_loss(input, target, _weight, ignore_index, reduction);
    }
}

namespace DistTrain.Torch
{
    public static partial class torch
    {
        public static partial class nn
        {
            /// <summary>Negative log likelihood loss on log-probabilities (the module keeps its own handle to <paramref name="weight"/>).</summary>
            public static Modules.NLLLoss NLLLoss(Tensor? weight = null, long ignore_index = -100, Reduction reduction = Reduction.Mean) =>
                new(weight, ignore_index, reduction);

            public static partial class functional
            {
                /// <summary>Negative log likelihood of log-probabilities (N, C, …) at class indices (N, …); a scalar, or (N, …) unreduced.</summary>
                public static Tensor nll_loss(Tensor input, Tensor target, Tensor? weight = null, long ignore_index = -100, Reduction reduction = Reduction.Mean) =>
                    new(NativeMethods.dt_nn_nll_loss(input.Handle, target.Handle, weight?.Handle ?? TensorHandle.Null, (int)reduction, ignore_index));
            }
        }
    }
}
