using System.Security.Cryptography;

namespace DistTrain.Checkpointing;

/// <summary>
/// A write-only stream that passes every byte to an inner stream and hashes it on the way (SHA-256),
/// so a file's checksum costs no second read. Hashing runs on the writer's thread. Hashing writes of
/// 1 MiB and more on another thread was tried and never fired, since TorchSharp.PyBridge writes a tensor
/// 1 KB at a time; on cores that the ranks keep busy it would move the CPU time, not save it.
/// Leaves the inner stream open.
/// </summary>
internal sealed class HashingStream(Stream inner) : Stream
{
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

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _hash.AppendData(buffer);
        inner.Write(buffer);
        _length += buffer.Length;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _hash.AppendData(buffer.Span);
        await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
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
