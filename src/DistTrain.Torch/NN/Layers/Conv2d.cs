using DistTrain.Torch.Native;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Modules
{
    /// <summary>
    /// 2-D convolution. Input (N, in_channels, H, W), output (N, out_channels, H', W') with
    /// H' = ⌊(H + 2·padding − dilation·(kernel − 1) − 1) / stride⌋ + 1 (and likewise W'). Weight
    /// (out_channels, in_channels / groups, kH, kW), bias (out_channels), initialised as PyTorch does.
    /// </summary>
    public sealed class Conv2d : nn.Module<Tensor, Tensor>
    {
        private readonly long[] _stride, _padding, _dilation;
        private nn.Parameter _weight;
        private nn.Parameter? _bias;

        internal Conv2d(long in_channels, long out_channels, (long, long) kernel_size, (long, long) stride, (long, long) padding,
            (long, long) dilation, long groups, bool bias, Device? device, ScalarType? dtype) : base(nameof(Conv2d))
        {
            if (groups < 1 || in_channels % groups != 0 || out_channels % groups != 0)
                throw new ArgumentException($"in_channels ({in_channels}) and out_channels ({out_channels}) must both be divisible by groups ({groups}).");
            this.in_channels = in_channels;
            this.out_channels = out_channels;
            this.kernel_size = kernel_size;
            this.groups = groups;
            _stride = [stride.Item1, stride.Item2];
            _padding = [padding.Item1, padding.Item2];
            _dilation = [dilation.Item1, dilation.Item2];
            _weight = nn.Parameter.Empty([out_channels, in_channels / groups, kernel_size.Item1, kernel_size.Item2], dtype, device);
            _bias = bias ? nn.Parameter.Empty([out_channels], dtype, device) : null;
            register_parameter("weight", _weight);
            register_parameter("bias", _bias);
            reset_parameters();
        }

        /// <summary>Channels of the input.</summary>
        public long in_channels { get; }
        /// <summary>Channels of the output.</summary>
        public long out_channels { get; }
        /// <summary>Kernel height and width.</summary>
        public (long, long) kernel_size { get; }
        /// <summary>Stride (height, width).</summary>
        public (long, long) stride => (_stride[0], _stride[1]);
        /// <summary>Zero padding (height, width) added on both sides.</summary>
        public (long, long) padding => (_padding[0], _padding[1]);
        /// <summary>Spacing between kernel elements (height, width).</summary>
        public (long, long) dilation => (_dilation[0], _dilation[1]);
        /// <summary>Number of blocked connections from input to output channels.</summary>
        public long groups { get; }

        /// <summary>The weight, shape (out_channels, in_channels / groups, kH, kW).</summary>
        public nn.Parameter weight { get => _weight; set { _weight = value; register_parameter("weight", value); } }

        /// <summary>The bias, shape (out_channels), or null.</summary>
        public nn.Parameter? bias { get => _bias; set { _bias = value; register_parameter("bias", value); } }

        /// <summary>Re-draws the weight and bias with PyTorch's default initialisation.</summary>
        public void reset_parameters() => nn.init.DefaultLayerInit(_weight, _bias);

        /// <inheritdoc />
        public override unsafe Tensor forward(Tensor input)
        {
            fixed (long* s = _stride, p = _padding, d = _dilation)
                return new Tensor(NativeMethods.dt_nn_conv2d(input.Handle, _weight.Handle, _bias?.Handle ?? TensorHandle.Null, s, p, d, groups));
        }
    }
}

namespace DistTrain.Torch
{
    public static partial class torch
    {
        public static partial class nn
        {
            /// <summary>A 2-D convolution with a square kernel: (N, <paramref name="in_channels"/>, H, W) → (N, <paramref name="out_channels"/>, H', W').</summary>
            public static Modules.Conv2d Conv2d(long in_channels, long out_channels, long kernelSize, long stride = 1, long padding = 0,
                long dilation = 1, long groups = 1, bool bias = true, Device? device = null, ScalarType? dtype = null) =>
                new(in_channels, out_channels, (kernelSize, kernelSize), (stride, stride), (padding, padding), (dilation, dilation), groups, bias, device, dtype);

            /// <summary>A 2-D convolution with (height, width) sizes: (N, <paramref name="in_channels"/>, H, W) → (N, <paramref name="out_channels"/>, H', W').</summary>
            public static Modules.Conv2d Conv2d(long in_channels, long out_channels, (long, long) kernelSize, (long, long)? stride = null,
                (long, long)? padding = null, (long, long)? dilation = null, long groups = 1, bool bias = true, Device? device = null, ScalarType? dtype = null) =>
                new(in_channels, out_channels, kernelSize, stride ?? (1, 1), padding ?? (0, 0), dilation ?? (1, 1), groups, bias, device, dtype);

            public static partial class functional
            {
                /// <summary>
                /// 2-D convolution: input (N, C_in, H, W), weight (C_out, C_in / groups, kH, kW), bias (C_out) or null;
                /// output (N, C_out, H', W').
                /// </summary>
                public static unsafe Tensor conv2d(Tensor input, Tensor weight, Tensor? bias = null, long stride = 1, long padding = 0,
                    long dilation = 1, long groups = 1)
                {
                    long* s = stackalloc long[] { stride, stride, padding, padding, dilation, dilation };
                    return new Tensor(NativeMethods.dt_nn_conv2d(input.Handle, weight.Handle, bias?.Handle ?? TensorHandle.Null, s, s + 2, s + 4, groups));
                }
            }
        }
    }
}
