using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using DistTrain.Torch.Native;

namespace DistTrain.Torch.Distributed;

/// <summary>
/// Lets c10d call a managed <see cref="Store"/>: the native c10d store subclass calls these static
/// functions with the id of a GCHandle to the store. Nothing escapes into native code: an exception
/// becomes a non-zero status and a message, which the native side raises as a C++ error.
/// </summary>
internal static unsafe class StoreBridge
{
    static StoreBridge()
    {
        var table = new NativeStoreCallbacks
        {
            Set = &Set,
            Get = &Get,
            Add = &Add,
            CompareSet = &CompareSet,
            DeleteKey = &DeleteKey,
            Check = &Check,
            Wait = &Wait,
            NumKeys = &NumKeys,
            Release = &Release,
        };
        NativeMethods.dt_store_set_callbacks(&table);
    }

    /// <summary>A native c10d store answered by <paramref name="store"/>; the store stays alive until c10d lets go of it.</summary>
    internal static StoreHandle Open(Store store)
    {
        var id = (long)GCHandle.ToIntPtr(GCHandle.Alloc(store));
        var native = NativeMethods.dt_store_managed_create(id, Milliseconds(store.Timeout));
        if (native == IntPtr.Zero)
        {
            GCHandle.FromIntPtr((IntPtr)id).Free();
            throw NativeError.Last();
        }

        return new StoreHandle(native);
    }

    internal static long Milliseconds(TimeSpan timeout) => (long)Math.Ceiling(timeout.TotalMilliseconds);

    [UnmanagedCallersOnly]
    private static int Set(long id, byte* key, int keyLength, byte* value, long valueLength, byte* error, int capacity) =>
        Run(id, error, capacity, s => s.Set(Key(key, keyLength), new ReadOnlySpan<byte>(value, checked((int)valueLength))));

    [UnmanagedCallersOnly]
    private static int Get(long id, byte* key, int keyLength, long timeoutMs, void* result, byte* error, int capacity) =>
        Run(id, error, capacity, s => Return(result, s.Get(Key(key, keyLength), TimeSpan.FromMilliseconds(timeoutMs))));

    [UnmanagedCallersOnly]
    private static int Add(long id, byte* key, int keyLength, long delta, long* value, byte* error, int capacity) =>
        Run(id, error, capacity, s => *value = s.Add(Key(key, keyLength), delta));

    [UnmanagedCallersOnly]
    private static int CompareSet(long id, byte* key, int keyLength, byte* expected, long expectedLength, byte* desired, long desiredLength,
                                  void* result, byte* error, int capacity) =>
        Run(id, error, capacity, s => Return(result, s.CompareSet(
            Key(key, keyLength),
            new ReadOnlySpan<byte>(expected, checked((int)expectedLength)),
            new ReadOnlySpan<byte>(desired, checked((int)desiredLength)))));

    [UnmanagedCallersOnly]
    private static int DeleteKey(long id, byte* key, int keyLength, int* existed, byte* error, int capacity) =>
        Run(id, error, capacity, s => *existed = s.DeleteKey(Key(key, keyLength)) ? 1 : 0);

    [UnmanagedCallersOnly]
    private static int Check(long id, byte** keys, int* keyLengths, int count, int* allExist, byte* error, int capacity) =>
        Run(id, error, capacity, s => *allExist = s.Check(Keys(keys, keyLengths, count)) ? 1 : 0);

    [UnmanagedCallersOnly]
    private static int Wait(long id, byte** keys, int* keyLengths, int count, long timeoutMs, byte* error, int capacity) =>
        Run(id, error, capacity, s => s.Wait(Keys(keys, keyLengths, count), TimeSpan.FromMilliseconds(timeoutMs)));

    [UnmanagedCallersOnly]
    private static int NumKeys(long id, long* count, byte* error, int capacity) =>
        Run(id, error, capacity, s => *count = s.NumKeys());

    [UnmanagedCallersOnly]
    private static void Release(long id)
    {
        try { GCHandle.FromIntPtr((IntPtr)id).Free(); }
        catch { /* nothing may escape into native code */ }
    }

    /// <summary>Makes sure the callbacks are installed (runs the static constructor once).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void EnsureInstalled() { }

    private static int Run(long id, byte* error, int capacity, Action<Store> call)
    {
        try
        {
            call((Store)GCHandle.FromIntPtr((IntPtr)id).Target!);
            return 0;
        }
        catch (Exception e)
        {
            WriteMessage($"{e.GetType().Name}: {e.Message}", error, capacity);
            return 1;
        }
    }

    private static void Return(void* result, byte[] value)
    {
        fixed (byte* p = value) NativeMethods.dt_store_result_set(result, p, value.Length);
    }

    private static string Key(byte* key, int length) => Encoding.UTF8.GetString(key, length);

    private static string[] Keys(byte** keys, int* lengths, int count)
    {
        var result = new string[count];
        for (var i = 0; i < count; i++) result[i] = Key(keys[i], lengths[i]);
        return result;
    }

    private static void WriteMessage(string message, byte* buffer, int capacity)
    {
        if (capacity <= 0) return;
        var destination = new Span<byte>(buffer, capacity - 1);
        var written = Encoding.UTF8.GetBytes(message.AsSpan(0, Math.Min(message.Length, (capacity - 1) / 4)), destination);
        buffer[written] = 0;
    }
}
