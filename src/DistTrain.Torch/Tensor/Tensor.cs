using DistTrain.Torch.Native;

namespace DistTrain.Torch;

public static partial class torch
{
    /// <summary>
    /// A multi-dimensional array on a device, with autograd. Wraps one libtorch tensor; disposing it
    /// releases the native handle at once (the finalizer does it otherwise). Tensors created inside a
    /// <see cref="DisposeScope"/> are disposed with the scope.
    /// </summary>
    public partial class Tensor : IDisposable
    {
        private readonly TensorHandle handle;

        internal DisposeScope? OwningScope;

        internal Tensor(TensorHandle handle)
        {
            this.handle = NativeError.Check(handle);
            DisposeScope.Register(this);
        }

        internal TensorHandle Handle
        {
            get
            {
                ObjectDisposedException.ThrowIf(handle.IsClosed, this);
                return handle;
            }
        }

        /// <summary>True once the tensor has been disposed.</summary>
        public bool IsInvalid => handle.IsClosed;

        /// <summary>Number of dimensions.</summary>
        public long Dimensions => NativeMethods.dt_tensor_dim(Handle);

        /// <summary>Number of dimensions.</summary>
        public long dim() => Dimensions;

        /// <summary>Sizes of every dimension.</summary>
        public unsafe long[] shape
        {
            get
            {
                var h = Handle;
                Span<long> buffer = stackalloc long[8];
                int ndim;
                fixed (long* p = buffer) ndim = NativeMethods.dt_tensor_sizes(h, p, buffer.Length);
                if (ndim <= buffer.Length) return buffer[..ndim].ToArray();
                var sizes = new long[ndim];
                fixed (long* p = sizes) NativeMethods.dt_tensor_sizes(h, p, ndim);
                return sizes;
            }
        }

        /// <summary>Sizes of every dimension (the same as <see cref="shape"/>).</summary>
        public long[] size() => shape;

        /// <summary>Size of dimension <paramref name="dim"/> (negative counts from the end).</summary>
        public long size(int dim)
        {
            var s = shape;
            var d = dim < 0 ? dim + s.Length : dim;
            if (d < 0 || d >= s.Length)
                throw new ArgumentOutOfRangeException(nameof(dim), dim, $"Dimension out of range (expected to be in range of [{-s.Length}, {s.Length - 1}]).");
            return s[d];
        }

        /// <summary>Strides of every dimension, in elements.</summary>
        public unsafe long[] stride()
        {
            var h = Handle;
            var strides = new long[NativeMethods.dt_tensor_dim(h)];
            fixed (long* p = strides) NativeMethods.dt_tensor_strides(h, p, strides.Length);
            return strides;
        }

        /// <summary>Total number of elements.</summary>
        public long numel() => NativeMethods.dt_tensor_numel(Handle);

        /// <summary>Total number of elements.</summary>
        public long NumberOfElements => numel();

        /// <summary>Element type.</summary>
        public ScalarType dtype => (ScalarType)NativeMethods.dt_tensor_dtype(Handle);

        /// <summary>The device holding the data.</summary>
        public Device device
        {
            get
            {
                NativeMethods.dt_tensor_device(Handle, out var type, out var index);
                return new Device((DeviceType)type, index);
            }
        }

        /// <summary>The device type holding the data.</summary>
        public DeviceType device_type => device.type;

        /// <summary>True when the elements are laid out densely in row-major order.</summary>
        public bool is_contiguous() => NativeMethods.dt_tensor_is_contiguous(Handle) != 0;

        /// <summary>True when <paramref name="other"/> is this very view of the same memory: same storage, offset, sizes and strides.</summary>
        public bool is_set_to(Tensor other)
        {
            var result = NativeMethods.dt_tensor_is_set_to(Handle, other.Handle);
            if (result < 0) throw NativeError.Last();
            return result != 0;
        }

        /// <summary>Takes the tensor out of every dispose scope: the caller disposes it.</summary>
        public Tensor DetachFromDisposeScope()
        {
            if (OwningScope is { } scope) scope.Detach(this);
            return this;
        }

        /// <summary>Moves the tensor to the scope enclosing its current one.</summary>
        public Tensor MoveToOuterDisposeScope()
        {
            if (OwningScope is { } scope) scope.MoveToOuter(this);
            return this;
        }

        /// <summary>Releases the native tensor now.</summary>
        public void Dispose()
        {
            OwningScope?.Forget(this);
            OwningScope = null;
            handle.Dispose();
        }

        /// <summary>A short description: shape, element type and device.</summary>
        public override string ToString() =>
            IsInvalid ? "Tensor (disposed)" : $"[{string.Join(", ", shape)}], type = {dtype}, device = {device}";

        /// <summary>The elements as libtorch prints them.</summary>
        public string ToFullString() =>
            System.Runtime.InteropServices.Marshal.PtrToStringUTF8(NativeMethods.dt_tensor_to_string(Handle)) ?? throw NativeError.Last();
    }
}
