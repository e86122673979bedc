namespace DistTrain.Torch.Optim;

/// <summary>Passes a list of tensors to native code as an array of raw handles, keeping them alive during the call.</summary>
internal static class TensorHandles
{
    public static unsafe T With<T>(IReadOnlyList<torch.Tensor> tensors, Func<nint, int, T> call)
    {
        var raw = new IntPtr[tensors.Count];
        var added = new bool[tensors.Count];
        try
        {
            for (var i = 0; i < raw.Length; i++)
            {
                var h = tensors[i].Handle;
                h.DangerousAddRef(ref added[i]);
                raw[i] = h.DangerousGetHandle();
            }
            fixed (IntPtr* p = raw) return call((nint)p, raw.Length);
        }
        finally
        {
            for (var i = 0; i < raw.Length; i++)
                if (added[i]) tensors[i].Handle.DangerousRelease();
        }
    }
}
