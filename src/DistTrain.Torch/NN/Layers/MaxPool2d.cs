using DistTrain.Torch.Native;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Modules
{
    /// <summary>
    /// 2-D max pooling. Input (N, C, H, W) or (C, H, W), output (N, C, H', W') with
    /// H' = ⌊(H + 2·padding − dilation·(kernel − 1) − 1) / stride⌋ + 1 (⌈⌉ with ceil_mode).
    /// </summary>
    public sealed class MaxPool2d : nn.Module<Tensor, Tensor>
    {
        private readonly long[] _args; // kernel, stride, padding, dilation: (height, width) each

        internal MaxPool2d((long, long) kernel_size, (long, long)? stride, (long, long) padding, (long, long) dilation, bool ceil_mode)
            : base(nameof(MaxPool2d))
        {
            var s = stride ?? kernel_size;
            _args = [kernel_size.Item1, kernel_size.Item2, s.Item1, s.Item2, padding.Item1, padding.Item2, dilation.Item1, dilation.Item2];
            this.ceil_mode = ceil_mode;
        }

        /// <summary>Window height and width.</summary>
        public (long, long) kernel_size => (_args[0], _args[1]);
        /// <summary>Step (height, width); the kernel size unless given.</summary>
        public (long, long) stride => (_args[2], _args[3]);
        /// <summary>Implicit −∞ padding (height, width) on both sides.</summary>
        public (long, long) padding => (_args[4], _args[5]);
        /// <summary>Spacing between window elements.</summary>
        public (long, long) dilation => (_args[6], _args[7]);
        /// <summary>Whether output sizes round up.</summary>
        public bool ceil_mode { get; }

        /// <inheritdoc />
        public override unsafe Tensor forward(Tensor input)
        {
            fixed (long* a = _args)
                return new Tensor(NativeMethods.dt_nn_max_pool2d(input.Handle, a, a + 2, a + 4, a + 6, ceil_mode));
        }
    }
}

namespace DistTrain.Torch
{
    public static partial class torch
    {
        public static partial class nn
        {
            /// <summary>2-D max pooling with a square window; the stride defaults to the window size.</summary>
            public static Modules.MaxPool2d MaxPool2d(long kernelSize, long? stride = null, long padding = 0, long dilation = 1, bool ceil_mode = false) =>
                new((kernelSize, kernelSize), stride is { } s ? (s, s) : null, (padding, padding), (dilation, dilation), ceil_mode);

            /// <summary>2-D max pooling with a (height, width) window; the stride defaults to the window size.</summary>
            public static Modules.MaxPool2d MaxPool2d((long, long) kernelSize, (long, long)? stride = null, (long, long)? padding = null,
                (long, long)? dilation = null, bool ceil_mode = false) =>
                new(kernelSize, stride, padding ?? (0, 0), dilation ?? (1, 1), ceil_mode);

            public static partial class functional
            {
                /// <summary>2-D max pooling of (N, C, H, W) or (C, H, W) with a square window; the stride defaults to the window size.</summary>
                public static unsafe Tensor max_pool2d(Tensor input, long kernelSize, long? stride = null, long padding = 0, long dilation = 1, bool ceil_mode = false)
                {
                    var st = stride ?? kernelSize;
                    long* a = stackalloc long[] { kernelSize, kernelSize, st, st, padding, padding, dilation, dilation };
                    return new Tensor(NativeMethods.dt_nn_max_pool2d(input.Handle, a, a + 2, a + 4, a + 6, ceil_mode));
                }
            }
        }
    }
}
