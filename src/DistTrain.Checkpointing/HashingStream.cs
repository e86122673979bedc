using System.Security.Cryptography;

namespace DistTrain.Checkpointing;

/// <summary>
/// A write-only stream that passes every byte to an inner stream and hashes it on the way (SHA-256),
/// so a file's checksum costs no second read. A large write (a tensor's bytes) is hashed on another thread
/// while the inner stream writes it, so the file takes the longer of the two rather than their sum.
/// Leaves the inner stream open.
/// </summary>
internal sealed class HashingStream(Stream inner) : Stream
{
    // Below this, handing the hash to another thread costs more than it hides.
    private const int ConcurrentHashBytes = 1 << 20;

    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _length;

    /// <summary>The file as written so far: its name, the bytes passed through and their SHA-256.</summary>
    public CheckpointFile Result(string name) => new(name, _length, Convert.ToHexStringLower(_hash.GetCurrentHash()));

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _length;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException("A checkpoint file is written front to back; seeking is not supported.");
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override unsafe void Write(ReadOnlySpan<byte> buffer)
    {
        if (buffer.Length < ConcurrentHashBytes)
        {
            _hash.AppendData(buffer);
            inner.Write(buffer);
        }
        else
        {
            fixed (byte* start = buffer)
            {
                var (address, length) = ((nint)start, buffer.Length);
                var hashing = Task.Run(() => _hash.AppendData(new ReadOnlySpan<byte>((void*)address, length)));
                try
                {
                    inner.Write(buffer);
                }
                finally
                {
                    hashing.GetAwaiter().GetResult(); // before the buffer is unpinned, also when the write failed
                }
            }
        }

        _length += buffer.Length;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var hashing = buffer.Length < ConcurrentHashBytes ? null : Task.Run(() => _hash.AppendData(buffer.Span), CancellationToken.None);
        if (hashing is null)
            _hash.AppendData(buffer.Span);
        try
        {
            await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (hashing is not null)
                await hashing.ConfigureAwait(false);
        }

        _length += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => inner.Flush();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _hash.Dispose();
        base.Dispose(disposing);
    }
}
