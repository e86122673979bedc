using DistTrain.Torch.Native;

namespace DistTrain.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        /// <summary>This tensor converted to <paramref name="type"/> (itself, aliased, when already of that type).</summary>
        public Tensor to(ScalarType type, bool copy = false) => new(NativeMethods.dt_tensor_to(Handle, (int)type, -1, -1, copy));

        /// <summary>This tensor moved to <paramref name="device"/>.</summary>
        public Tensor to(Device device, bool copy = false) => new(NativeMethods.dt_tensor_to(Handle, -1, (int)device.type, device.index, copy));

        /// <summary>This tensor converted to <paramref name="type"/> and moved to <paramref name="device"/>.</summary>
        public Tensor to(ScalarType type, Device device, bool copy = false) =>
            new(NativeMethods.dt_tensor_to(Handle, (int)type, (int)device.type, device.index, copy));

        /// <summary>This tensor on the CPU.</summary>
        public Tensor cpu() => to(CPU);

        /// <summary>This tensor on CUDA device <paramref name="index"/>.</summary>
        public Tensor cuda(int index = -1) => to(CUDA(index));

        /// <summary>A copy with its own storage (recorded by autograd).</summary>
        public Tensor clone() => new(NativeMethods.dt_tensor_clone(Handle));

        /// <summary>This tensor laid out densely in row-major order (itself, aliased, when it already is).</summary>
        public Tensor contiguous() => new(NativeMethods.dt_tensor_contiguous(Handle));

        /// <summary>A second handle to the same tensor, with its own lifetime.</summary>
        public Tensor alias() => new(NativeMethods.dt_tensor_alias(Handle));
    }
}
