using DistTrain.Torch.Native;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Modules
{
    /// <summary>
    /// y = x Wᵀ + b. Input (*, in_features), output (*, out_features). Weight (out_features, in_features),
    /// bias (out_features), initialised as PyTorch does (<see cref="nn.init.kaiming_uniform_"/> with a = √5).
    /// </summary>
    public sealed class Linear : nn.Module<Tensor, Tensor>
    {
        private nn.Parameter _weight;
        private nn.Parameter? _bias;

        internal Linear(long in_features, long out_features, bool hasBias, Device? device, ScalarType? dtype) : base(nameof(Linear))
        {
            this.in_features = in_features;
            this.out_features = out_features;
            _weight = nn.Parameter.Empty([out_features, in_features], dtype, device);
            _bias = hasBias ? nn.Parameter.Empty([out_features], dtype, device) : null;
            register_parameter("weight", _weight);
            register_parameter("bias", _bias);
            reset_parameters();
        }

        /// <summary>Size of each input sample.</summary>
        public long in_features { get; }

        /// <summary>Size of each output sample.</summary>
        public long out_features { get; }

        /// <summary>The weight, shape (out_features, in_features).</summary>
        public nn.Parameter weight { get => _weight; set { _weight = value; register_parameter("weight", value); } }

        /// <summary>The bias, shape (out_features), or null.</summary>
        public nn.Parameter? bias { get => _bias; set { _bias = value; register_parameter("bias", value); } }

        /// <summary>Re-draws the weight and bias with PyTorch's default initialisation.</summary>
        public void reset_parameters() => nn.init.DefaultLayerInit(_weight, _bias);

        /// <inheritdoc />
        public override Tensor forward(Tensor input) => nn.functional.linear(input, _weight, _bias);
    }
}

namespace DistTrain.Torch
{
    public static partial class torch
    {
        public static partial class nn
        {
            /// <summary>A fully connected layer: (*, <paramref name="inputSize"/>) → (*, <paramref name="outputSize"/>).</summary>
            public static Modules.Linear Linear(long inputSize, long outputSize, bool hasBias = true, Device? device = null, ScalarType? dtype = null) =>
                new(inputSize, outputSize, hasBias, device, dtype);

            public static partial class functional
            {
                /// <summary>x Wᵀ + b: input (*, in), weight (out, in), bias (out) or null; output (*, out).</summary>
                public static Tensor linear(Tensor input, Tensor weight, Tensor? bias = null) =>
                    new(NativeMethods.dt_nn_linear(input.Handle, weight.Handle, bias?.Handle ?? TensorHandle.Null));
            }
        }
    }
}
