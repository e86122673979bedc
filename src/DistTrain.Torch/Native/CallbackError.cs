using System.Text;

namespace DistTrain.Torch.Native;

/// <summary>
/// Reports an exception caught in a native→managed callback: nothing may escape into native code,
/// so the callback writes the message into the native side's buffer and returns an error code,
/// which the native side turns into a C++ exception carrying the message.
/// </summary>
internal static unsafe class CallbackError
{
    /// <summary>The status a callback returns after a failure.</summary>
    public const int Failed = 1;

    /// <summary>Writes "Type: message" as NUL-terminated UTF-8 (truncated to fit) and returns <see cref="Failed"/>.</summary>
    public static int Report(Exception exception, byte* buffer, int capacity)
    {
        if (capacity > 0)
        {
            var message = $"{exception.GetType().Name}: {exception.Message}";
            var destination = new Span<byte>(buffer, capacity - 1);
            var written = Encoding.UTF8.GetBytes(message.AsSpan(0, Math.Min(message.Length, (capacity - 1) / 4)), destination);
            buffer[written] = 0;
        }
        return Failed;
    }
}
