using DistTrain.Torch.Native;

namespace DistTrain.Torch;

public static partial class torch
{
    /// <summary>Whether autograd records operations on this thread.</summary>
    public static bool is_grad_enabled() => NativeMethods.dt_grad_mode_is_enabled() != 0;

    /// <summary>Turns autograd recording on or off for this thread until the returned scope is disposed.</summary>
    public static IDisposable set_grad_enabled(bool enabled) => new GradModeScope(enabled);

    /// <summary>Stops autograd recording on this thread until the returned scope is disposed.</summary>
    public static IDisposable no_grad() => new GradModeScope(false);

    /// <summary>Turns autograd recording on for this thread until the returned scope is disposed.</summary>
    public static IDisposable enable_grad() => new GradModeScope(true);

    private sealed class GradModeScope : IDisposable
    {
        private readonly bool previous;
        private bool disposed;

        public GradModeScope(bool enabled)
        {
            previous = is_grad_enabled();
            NativeMethods.dt_grad_mode_set_enabled(enabled);
        }

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            NativeMethods.dt_grad_mode_set_enabled(previous);
        }
    }
}
