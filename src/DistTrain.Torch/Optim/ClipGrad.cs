using DistTrain.Torch.Native;
using DistTrain.Torch.Optim;

namespace DistTrain.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>Utilities over parameters and their gradients.</summary>
        public static partial class utils
        {
            /// <summary>
            /// Scales the gradients of <paramref name="parameters"/> in place so that their joint norm of order
            /// <paramref name="norm_type"/> (double.PositiveInfinity for the max norm) is at most
            /// <paramref name="max_norm"/>, as PyTorch's clip_grad_norm_ does, in one native call.
            /// Parameters without a gradient are ignored.
            /// </summary>
            /// <returns>The total norm of the gradients before clipping (0 when none has a gradient).</returns>
            public static unsafe double clip_grad_norm_(IEnumerable<Tensor> parameters, double max_norm, double norm_type = 2)
            {
                ArgumentNullException.ThrowIfNull(parameters);
                var list = parameters as IReadOnlyList<Tensor> ?? parameters.ToArray();
                double total = 0;
                var status = TensorHandles.With(list, (p, n) => NativeMethods.dt_clip_grad_norm((IntPtr*)p, n, max_norm, norm_type, out total));
                NativeError.Check(status);
                return total;
            }
        }
    }
}
