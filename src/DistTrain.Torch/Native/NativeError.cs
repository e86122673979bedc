using System.Runtime.InteropServices;

namespace DistTrain.Torch.Native;

/// <summary>
/// Turns the native layer's failure signals (a NULL handle, a non-zero status) into
/// <see cref="TorchException"/>s carrying libtorch's own message. Every native call goes through here.
/// </summary>
internal static class NativeError
{
    public static TensorHandle Check(TensorHandle handle)
    {
        if (handle.IsInvalid) throw Last();
        return handle;
    }

    public static void Check(int status)
    {
        if (status != 0) throw Last();
    }

    public static TorchException Last()
    {
        var message = Marshal.PtrToStringUTF8(NativeMethods.dt_last_error());
        return new TorchException(string.IsNullOrEmpty(message) ? "libtorch reported a failure without a message." : message);
    }
}
