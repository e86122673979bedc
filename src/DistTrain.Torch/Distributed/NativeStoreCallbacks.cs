using System.Runtime.InteropServices;

namespace DistTrain.Torch.Distributed;

/// <summary>The dt_store_callbacks table of the C ABI, field for field.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeStoreCallbacks
{
    public delegate* unmanaged<long, byte*, int, byte*, long, byte*, int, int> Set;
    public delegate* unmanaged<long, byte*, int, long, void*, byte*, int, int> Get;
    public delegate* unmanaged<long, byte*, int, long, long*, byte*, int, int> Add;
    public delegate* unmanaged<long, byte*, int, byte*, long, byte*, long, void*, byte*, int, int> CompareSet;
    public delegate* unmanaged<long, byte*, int, int*, byte*, int, int> DeleteKey;
    public delegate* unmanaged<long, byte**, int*, int, int*, byte*, int, int> Check;
    public delegate* unmanaged<long, byte**, int*, int, long, byte*, int, int> Wait;
    public delegate* unmanaged<long, long*, byte*, int, int> NumKeys;
    public delegate* unmanaged<long, void> Release;
}
