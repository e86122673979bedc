using System.Buffers.Binary;
using System.IO.Compression;
using Google.Protobuf;

namespace DistTrain.Rpc.Protocol;

/// <summary>
/// gRPC's length-prefixed messages: a compressed flag byte, a 4-byte big-endian length, then the
/// message. Used by both server and client; every failure is an <see cref="RpcException"/> with the
/// status the protocol asks for.
/// </summary>
internal static class MessageFraming
{
    public const int HeaderSize = 5;

    /// <summary>Serializes <paramref name="message"/> into one uncompressed frame.</summary>
    /// <exception cref="RpcException">RESOURCE_EXHAUSTED when the message is larger than <paramref name="maxSize"/>.</exception>
    public static byte[] Encode(IMessage message, int maxSize)
    {
        var size = message.CalculateSize();
        if (size > maxSize)
            throw new RpcException(StatusCode.ResourceExhausted, $"Sent message larger than max ({size} vs. {maxSize})");
        var frame = new byte[HeaderSize + size];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1, 4), (uint)size);
        message.WriteTo(frame.AsSpan(HeaderSize));
        return frame;
    }

    /// <summary>
    /// Reads the next message, decompressed. Returns null when the stream ends cleanly between frames.
    /// </summary>
    /// <param name="stream">The HTTP/2 body.</param>
    /// <param name="maxSize">The largest message accepted, before and after decompression.</param>
    /// <param name="encoding">The peer's <c>grpc-encoding</c>, or null.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="RpcException">INTERNAL for a truncated frame or a bad compressed message;
    /// RESOURCE_EXHAUSTED for an oversized one; UNIMPLEMENTED for an unknown encoding.</exception>
    public static async Task<byte[]?> ReadAsync(Stream stream, int maxSize, string? encoding, CancellationToken cancellationToken)
    {
        var header = new byte[HeaderSize];
        var got = await ReadFullyAsync(stream, header, cancellationToken).ConfigureAwait(false);
        if (got == 0)
            return null;
        if (got < HeaderSize)
            throw new RpcException(StatusCode.Internal, $"Incomplete message: the stream ended inside a frame header ({got} of {HeaderSize} bytes).");
        var flag = header[0];
        if (flag > 1)
            throw new RpcException(StatusCode.Internal, $"Invalid message frame: the compressed flag is {flag}, not 0 or 1.");
        var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1));
        if (length > (uint)maxSize)
            throw new RpcException(StatusCode.ResourceExhausted, $"Received message larger than max ({length} vs. {maxSize})");
        var payload = new byte[length];
        got = await ReadFullyAsync(stream, payload, cancellationToken).ConfigureAwait(false);
        if (got < payload.Length)
            throw new RpcException(StatusCode.Internal, $"Incomplete message: the stream ended after {got} of {length} bytes.");
        return flag == 0 ? payload : Decompress(payload, encoding, maxSize);
    }

    /// <summary>Parses a message, turning malformed bytes into INTERNAL (what grpc answers for an unparseable message).</summary>
    public static T Parse<T>(MessageParser<T> parser, byte[] bytes, string role)
        where T : IMessage<T>
    {
        try
        {
            return parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new RpcException(StatusCode.Internal,
                $"Failed to parse the {role} message as {typeof(T).Name}: {ex.Message}", innerException: ex);
        }
    }

    private static byte[] Decompress(byte[] payload, string? encoding, int maxSize)
    {
        Stream decoder = encoding?.ToLowerInvariant() switch
        {
            "gzip" => new GZipStream(new MemoryStream(payload), CompressionMode.Decompress),
            // gRPC's "deflate" is the zlib format (RFC 1950), as in HTTP.
            "deflate" => new ZLibStream(new MemoryStream(payload), CompressionMode.Decompress),
            null or "" or "identity" => throw new RpcException(StatusCode.Internal,
                "A message is marked compressed but the call declares no grpc-encoding."),
            _ => throw new RpcException(StatusCode.Unimplemented,
                $"Unsupported grpc-encoding '{encoding}'; supported: {GrpcProtocol.SupportedEncodings}."),
        };
        using (decoder)
        {
            var output = new MemoryStream();
            var buffer = new byte[16 * 1024];
            try
            {
                int n;
                while ((n = decoder.Read(buffer, 0, buffer.Length)) > 0)
                {
                    output.Write(buffer, 0, n);
                    if (output.Length > maxSize)
                        throw new RpcException(StatusCode.ResourceExhausted,
                            $"Received message larger than max after decompression (more than {maxSize} bytes)");
                }
            }
            catch (InvalidDataException ex)
            {
                throw new RpcException(StatusCode.Internal, $"Failed to decompress a {encoding} message: {ex.Message}", innerException: ex);
            }
            return output.ToArray();
        }
    }

    private static async Task<int> ReadFullyAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
            if (n == 0)
                break;
            total += n;
        }
        return total;
    }
}
