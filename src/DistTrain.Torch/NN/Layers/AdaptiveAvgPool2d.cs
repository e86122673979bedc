using DistTrain.Torch.Native;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Modules
{
    /// <summary>
    /// 2-D average pooling to a fixed output size whatever the input size: (N, C, H, W) → (N, C, oH, oW).
    /// ResNet's (1, 1) turns feature maps into one value per channel.
    /// </summary>
    public sealed class AdaptiveAvgPool2d : nn.Module<Tensor, Tensor>
    {
        private readonly long[] _output_size;

        internal AdaptiveAvgPool2d((long, long) output_size) : base(nameof(AdaptiveAvgPool2d)) =>
            _output_size = [output_size.Item1, output_size.Item2];

        /// <summary>Output height and width.</summary>
        public (long, long) output_size => (_output_size[0], _output_size[1]);

        /// <inheritdoc />
        public override unsafe Tensor forward(Tensor input)
        {
            fixed (long* o = _output_size)
                return new Tensor(NativeMethods.dt_nn_adaptive_avg_pool2d(input.Handle, o));
        }
    }
}

namespace DistTrain.Torch
{
    public static partial class torch
    {
        public static partial class nn
        {
            /// <summary>Adaptive average pooling to a square <paramref name="output_size"/>.</summary>
            public static Modules.AdaptiveAvgPool2d AdaptiveAvgPool2d(long output_size) => new((output_size, output_size));

            /// <summary>Adaptive average pooling to (height, width) <paramref name="output_size"/>.</summary>
            public static Modules.AdaptiveAvgPool2d AdaptiveAvgPool2d((long, long) output_size) => new(output_size);

            public static partial class functional
            {
                /// <summary>Average pooling of (N, C, H, W) to (N, C, oH, oW).</summary>
                public static unsafe Tensor adaptive_avg_pool2d(Tensor input, (long, long) output_size)
                {
                    long* o = stackalloc long[] { output_size.Item1, output_size.Item2 };
                    return new Tensor(NativeMethods.dt_nn_adaptive_avg_pool2d(input.Handle, o));
                }
            }
        }
    }
}
