using DistTrain.Torch.Autograd;
using DistTrain.Torch.Native;

namespace DistTrain.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        /// <summary>
        /// Registers <paramref name="hook"/> to run after this leaf's <see cref="grad"/> has been written
        /// (accumulated) during each backward, once per backward, receiving this tensor. Hooks of a
        /// model's parameters run in reverse layer order, on the thread running backward (a CUDA
        /// backward runs them on autograd's device threads). An exception thrown by the hook makes
        /// backward throw a <see cref="TorchException"/> carrying its type and message; the next backward
        /// works. The hook stays registered (and keeps this tensor's native storage alive) until the returned
        /// handle's <see cref="RemovableHandle.remove"/>.
        /// </summary>
        /// <exception cref="TorchException">This tensor does not require grad or is not a leaf.</exception>
        public RemovableHandle register_post_accumulate_grad_hook(Action<Tensor> hook)
        {
            ArgumentNullException.ThrowIfNull(hook);
            var id = ManagedCallbacks.Register(() => hook(this));
            var native = NativeMethods.dt_tensor_register_post_accumulate_grad_hook(Handle, id);
            if (native == IntPtr.Zero)
            {
                ManagedCallbacks.Free(id);
                throw NativeError.Last();
            }
            return new RemovableHandle(native);
        }
    }

    /// <summary>Autograd utilities beyond tensors' own methods.</summary>
    public static partial class autograd
    {
        /// <summary>
        /// Queues <paramref name="callback"/> to run once, after every gradient of the backward pass now
        /// running has been written, before backward returns. Call it from a gradient hook: DDP uses it
        /// to finish its work at the end of backward.
        /// </summary>
        /// <exception cref="TorchException">No backward pass is running.</exception>
        public static void queue_callback(Action callback)
        {
            ArgumentNullException.ThrowIfNull(callback);
            var id = ManagedCallbacks.Register(callback);
            if (NativeMethods.dt_autograd_queue_callback(id) != 0)
            {
                ManagedCallbacks.Free(id);
                throw NativeError.Last();
            }
        }
    }
}
