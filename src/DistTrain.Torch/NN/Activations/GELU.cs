using DistTrain.Torch.Native;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Modules
{
    /// <summary>x × Φ(x), the Gaussian error linear unit, element-wise (approximate "tanh" uses the tanh formula). Input and output have the same shape.</summary>
    public sealed class GELU : nn.Module<Tensor, Tensor>
    {
        internal GELU(string approximate) : base(nameof(GELU))
        {
            UsesTanh(approximate);
            this.approximate = approximate;
        }

        /// <summary>"none" (the exact erf form) or "tanh".</summary>
        public string approximate { get; }

        /// <summary>True for "tanh", false for "none"; throws for anything else.</summary>
        internal static bool UsesTanh(string approximate) => approximate switch
        {
            "tanh" => true,
            "none" => false,
            _ => throw new ArgumentException($"approximate must be \"none\" or \"tanh\", not \"{approximate}\".", nameof(approximate)),
        };

        /// <inheritdoc />
        public override Tensor forward(Tensor input) => nn.functional.gelu(input, approximate);
    }
}

namespace DistTrain.Torch
{
    public static partial class torch
    {
        public static partial class nn
        {
            /// <summary>x × Φ(x), the Gaussian error linear unit, element-wise (approximate "tanh" uses the tanh formula).</summary>
            public static Modules.GELU GELU(string approximate = "none") => new(approximate);

            public static partial class functional
            {
                /// <summary>x × Φ(x), the Gaussian error linear unit, element-wise (approximate "tanh" uses the tanh formula). Same shape as <paramref name="input"/>.</summary>
                public static Tensor gelu(Tensor input, string approximate = "none") => new(NativeMethods.dt_nn_gelu(input.Handle, Modules.GELU.UsesTanh(approximate)));
            }
        }
    }
}
