using DistTrain.Torch.Native;

namespace DistTrain.Torch.Autograd;

/// <summary>
/// A registered hook. <see cref="remove"/> (or <see cref="Dispose"/>) unregisters it; until then the
/// hook stays registered even when this handle is no longer referenced, as in PyTorch.
/// Do not remove a hook from inside a backward pass.
/// </summary>
public sealed class RemovableHandle : IDisposable
{
    private IntPtr native;
    private readonly object gate = new();

    internal RemovableHandle(IntPtr native) => this.native = native;

    /// <summary>Unregisters the hook; later calls do nothing.</summary>
    public void remove()
    {
        lock (gate)
        {
            if (native == IntPtr.Zero) return;
            NativeError.Check(NativeMethods.dt_hook_remove(native));
            native = IntPtr.Zero;
        }
    }

    /// <summary>The same as <see cref="remove"/>.</summary>
    public void Dispose() => remove();
}
