using DistTrain.Torch.Native;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Modules
{
    /// <summary>
    /// In training, zeroes each element with probability p and scales the rest by 1 / (1 − p);
    /// in evaluation, passes the input through. Output has the input's shape.
    /// </summary>
    public sealed class Dropout : nn.Module<Tensor, Tensor>
    {
        internal Dropout(double p) : base(nameof(Dropout))
        {
            if (p is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(p), p, "dropout probability has to be between 0 and 1.");
            this.p = p;
        }

        /// <summary>Probability of zeroing an element.</summary>
        public double p { get; }

        /// <inheritdoc />
        public override Tensor forward(Tensor input) => nn.functional.dropout(input, p, training);
    }
}

namespace DistTrain.Torch
{
    public static partial class torch
    {
        public static partial class nn
        {
            /// <summary>Dropout with probability <paramref name="p"/>, active only in training mode.</summary>
            public static Modules.Dropout Dropout(double p = 0.5) => new(p);

            public static partial class functional
            {
                /// <summary>Zeroes elements with probability <paramref name="p"/> and scales the rest by 1 / (1 − p) when <paramref name="training"/>.</summary>
                public static Tensor dropout(Tensor input, double p = 0.5, bool training = true) =>
                    new(NativeMethods.dt_nn_dropout(input.Handle, p, training));
            }
        }
    }
}
