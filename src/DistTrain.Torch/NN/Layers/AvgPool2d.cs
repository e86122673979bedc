using DistTrain.Torch.Native;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Modules
{
    /// <summary>
    /// 2-D average pooling. Input (N, C, H, W) or (C, H, W), output (N, C, H', W') with
    /// H' = ⌊(H + 2·padding − kernel) / stride⌋ + 1 (⌈⌉ with ceil_mode).
    /// </summary>
    public sealed class AvgPool2d : nn.Module<Tensor, Tensor>
    {
        private readonly long[] _args; // kernel, stride, padding: (height, width) each

        internal AvgPool2d((long, long) kernel_size, (long, long)? stride, (long, long) padding, bool ceil_mode, bool count_include_pad)
            : base(nameof(AvgPool2d))
        {
            var s = stride ?? kernel_size;
            _args = [kernel_size.Item1, kernel_size.Item2, s.Item1, s.Item2, padding.Item1, padding.Item2];
            this.ceil_mode = ceil_mode;
            this.count_include_pad = count_include_pad;
        }

        /// <summary>Window height and width.</summary>
        public (long, long) kernel_size => (_args[0], _args[1]);
        /// <summary>Step (height, width); the kernel size unless given.</summary>
        public (long, long) stride => (_args[2], _args[3]);
        /// <summary>Zero padding (height, width) on both sides.</summary>
        public (long, long) padding => (_args[4], _args[5]);
        /// <summary>Whether output sizes round up.</summary>
        public bool ceil_mode { get; }
        /// <summary>Whether padded zeros count in the average.</summary>
        public bool count_include_pad { get; }

        /// <inheritdoc />
        public override unsafe Tensor forward(Tensor input)
        {
            fixed (long* a = _args)
                return new Tensor(NativeMethods.dt_nn_avg_pool2d(input.Handle, a, a + 2, a + 4, ceil_mode, count_include_pad));
        }
    }
}

namespace DistTrain.Torch
{
    public static partial class torch
    {
        public static partial class nn
        {
            /// <summary>2-D average pooling with a square window; the stride defaults to the window size.</summary>
            public static Modules.AvgPool2d AvgPool2d(long kernelSize, long? stride = null, long padding = 0, bool ceil_mode = false, bool count_include_pad = true) =>
                new((kernelSize, kernelSize), stride is { } s ? (s, s) : null, (padding, padding), ceil_mode, count_include_pad);

            /// <summary>2-D average pooling with a (height, width) window; the stride defaults to the window size.</summary>
            public static Modules.AvgPool2d AvgPool2d((long, long) kernelSize, (long, long)? stride = null, (long, long)? padding = null,
                bool ceil_mode = false, bool count_include_pad = true) =>
                new(kernelSize, stride, padding ?? (0, 0), ceil_mode, count_include_pad);

            public static partial class functional
            {
                /// <summary>2-D average pooling of (N, C, H, W) or (C, H, W) with a square window; the stride defaults to the window size.</summary>
                public static unsafe Tensor avg_pool2d(Tensor input, long kernelSize, long? stride = null, long padding = 0, bool ceil_mode = false, bool count_include_pad = true)
                {
                    var st = stride ?? kernelSize;
                    long* a = stackalloc long[] { kernelSize, kernelSize, st, st, padding, padding };
                    return new Tensor(NativeMethods.dt_nn_avg_pool2d(input.Handle, a, a + 2, a + 4, ceil_mode, count_include_pad));
                }
            }
        }
    }
}
