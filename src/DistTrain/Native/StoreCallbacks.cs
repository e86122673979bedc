using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;
using DistTrain.Distributed;

namespace DistTrain.Native;

/// <summary>
/// Lets the native layer call a managed <see cref="Store"/> while a process group connects. The store
/// is lent under an id for the duration of <see cref="Lend"/>; nothing escapes into native code: an
/// exception becomes a non-zero status and a message, with which the group's creation then fails.
/// </summary>
internal static unsafe class StoreCallbacks
{
    private static readonly ConcurrentDictionary<long, Store> lent = new();
    private static long nextId;

    static StoreCallbacks()
    {
        var table = new NativeMethods.StoreCallbackTable { Set = &Set, Get = &Get, Add = &Add, Wait = &Wait };
        NativeMethods.dt_store_set_callbacks(&table);
    }

    /// <summary>Runs <paramref name="use"/> with an id under which the native side reaches <paramref name="store"/>.</summary>
    internal static T Lend<T>(Store store, Func<long, T> use)
    {
        var id = Interlocked.Increment(ref nextId);
        lent[id] = store;
        try { return use(id); }
        finally { lent.TryRemove(id, out _); }
    }

    [UnmanagedCallersOnly]
    private static int Set(long id, byte* key, int keyLength, byte* value, long valueLength, byte* error, int capacity) =>
        Run(id, error, capacity, s => s.Set(Key(key, keyLength), new ReadOnlySpan<byte>(value, checked((int)valueLength))));

    [UnmanagedCallersOnly]
    private static int Get(long id, byte* key, int keyLength, long timeoutMs, void* result, byte* error, int capacity) =>
        Run(id, error, capacity, s =>
        {
            var value = s.Get(Key(key, keyLength), TimeSpan.FromMilliseconds(timeoutMs));
            fixed (byte* p = value) NativeMethods.dt_store_result_set(result, p, value.Length);
        });

    [UnmanagedCallersOnly]
    private static int Add(long id, byte* key, int keyLength, long delta, long* value, byte* error, int capacity) =>
        Run(id, error, capacity, s => *value = s.Add(Key(key, keyLength), delta));

    [UnmanagedCallersOnly]
    private static int Wait(long id, byte** keys, int* keyLengths, int count, long timeoutMs, byte* error, int capacity) =>
        Run(id, error, capacity, s =>
        {
            var names = new string[count];
            for (var i = 0; i < count; i++) names[i] = Key(keys[i], keyLengths[i]);
            s.Wait(names, TimeSpan.FromMilliseconds(timeoutMs));
        });

    /// <summary>Makes sure the callbacks are installed (runs the static constructor once).</summary>
    internal static void EnsureInstalled() => _ = lent.Count;

    private static int Run(long id, byte* error, int capacity, Action<Store> call)
    {
        try
        {
            if (!lent.TryGetValue(id, out var store)) throw new InvalidOperationException($"store {id} is not lent to the native layer");
            call(store);
            return 0;
        }
        catch (Exception e)
        {
            return Report(e, error, capacity);
        }
    }

    // "Type: message" as NUL-terminated UTF-8, truncated to fit.
    private static int Report(Exception exception, byte* buffer, int capacity)
    {
        if (capacity > 0)
        {
            var message = $"{exception.GetType().Name}: {exception.Message}";
            var destination = new Span<byte>(buffer, capacity - 1);
            var written = Encoding.UTF8.GetBytes(message.AsSpan(0, Math.Min(message.Length, (capacity - 1) / 4)), destination);
            buffer[written] = 0;
        }
        return 1;
    }

    private static string Key(byte* key, int length) => Encoding.UTF8.GetString(key, length);
}
