using DistTrain.Torch.Native;

namespace DistTrain.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// A tensor that is a module's trainable state: a leaf that requires grad by default, found by
        /// <see cref="Module.parameters"/>. A parameter is never swept away by a dispose scope; its
        /// module disposes it (or the caller, for a parameter that belongs to no module).
        /// </summary>
        public sealed class Parameter : Tensor
        {
            /// <summary>
            /// A parameter sharing <paramref name="data"/>'s storage, as a new autograd leaf.
            /// <paramref name="data"/> itself is not consumed: dispose it when you own it.
            /// </summary>
            public Parameter(Tensor data, bool requires_grad = true)
                : base(NativeMethods.dt_tensor_detach(data.Handle))
            {
                DetachFromDisposeScope();
                if (requires_grad) NativeError.Check(NativeMethods.dt_tensor_set_requires_grad(Handle, true));
            }

            /// <summary>An uninitialised parameter of the given shape (initialise it with <see cref="init"/>).</summary>
            internal static Parameter Empty(long[] shape, ScalarType? dtype, Device? device)
            {
                using var data = empty(shape, dtype, device);
                return new Parameter(data);
            }
        }
    }
}
