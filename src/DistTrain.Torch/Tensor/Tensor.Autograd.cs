using DistTrain.Torch.Native;

namespace DistTrain.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        /// <summary>Whether autograd records operations on this tensor.</summary>
        public bool requires_grad
        {
            get => NativeMethods.dt_tensor_requires_grad(Handle) != 0;
            set => NativeError.Check(NativeMethods.dt_tensor_set_requires_grad(Handle, value));
        }

        /// <summary>Sets <see cref="requires_grad"/> in place and returns this tensor.</summary>
        public Tensor requires_grad_(bool requires_grad = true)
        {
            this.requires_grad = requires_grad;
            return this;
        }

        /// <summary>
        /// The gradient accumulated by backward, or null when there is none. Each read returns a new
        /// handle to the same gradient storage; setting null clears it.
        /// </summary>
        public Tensor? grad
        {
            get
            {
                NativeError.Check(NativeMethods.dt_tensor_grad(Handle, out var h));
                if (!h.IsInvalid) return new Tensor(h);
                h.Dispose();
                return null;
            }
            set => NativeError.Check(NativeMethods.dt_tensor_set_grad(Handle, value?.Handle ?? TensorHandle.Null));
        }

        /// <summary>
        /// Computes the gradient of this tensor with respect to the graph's leaves, accumulating into
        /// their <see cref="grad"/>. <paramref name="gradient"/> is required unless this is a scalar.
        /// </summary>
        public void backward(Tensor? gradient = null, bool retain_graph = false, bool create_graph = false) =>
            NativeError.Check(NativeMethods.dt_tensor_backward(Handle, gradient?.Handle ?? TensorHandle.Null, retain_graph, create_graph));

        /// <summary>A tensor sharing this one's storage, outside the autograd graph.</summary>
        public Tensor detach() => new(NativeMethods.dt_tensor_detach(Handle));
    }
}
