using System.Collections;

namespace DistTrain.Rpc;

/// <summary>
/// gRPC metadata: the custom headers of a call or the custom trailers of its response. Keys are
/// case-insensitive (stored lower-case) and may repeat; keys ending in <c>-bin</c> hold bytes.
/// </summary>
public sealed class RpcMetadata : IEnumerable<RpcMetadataEntry>
{
    /// <summary>The suffix that marks a binary key.</summary>
    public const string BinarySuffix = "-bin";

    private readonly List<RpcMetadataEntry> _entries = new();

    /// <summary>The number of entries.</summary>
    public int Count => _entries.Count;

    /// <summary>Adds a text entry. The key must be a valid header name not ending in <c>-bin</c>; the value printable ASCII.</summary>
    /// <exception cref="ArgumentException">The key or value is not allowed.</exception>
    public RpcMetadata Add(string key, string value)
    {
        key = NormalizeKey(key);
        if (key.EndsWith(BinarySuffix, StringComparison.Ordinal))
            throw new ArgumentException($"The key '{key}' ends in '-bin', so its value must be bytes.", nameof(key));
        ArgumentNullException.ThrowIfNull(value);
        foreach (var c in value)
        {
            if (c < 0x20 || c > 0x7E)
                throw new ArgumentException($"The value of '{key}' contains the character U+{(int)c:X4}; text metadata must be printable ASCII.", nameof(value));
        }
        _entries.Add(new RpcMetadataEntry(key, value, null));
        return this;
    }

    /// <summary>Adds a binary entry. The key must end in <c>-bin</c>.</summary>
    /// <exception cref="ArgumentException">The key is not a valid binary key.</exception>
    public RpcMetadata Add(string key, byte[] value)
    {
        key = NormalizeKey(key);
        if (!key.EndsWith(BinarySuffix, StringComparison.Ordinal))
            throw new ArgumentException($"The key '{key}' holds bytes, so it must end in '-bin'.", nameof(key));
        ArgumentNullException.ThrowIfNull(value);
        _entries.Add(new RpcMetadataEntry(key, null, value));
        return this;
    }

    /// <summary>Adds every entry of <paramref name="other"/>.</summary>
    public RpcMetadata AddRange(IEnumerable<RpcMetadataEntry> other)
    {
        _entries.AddRange(other);
        return this;
    }

    /// <summary>The first text value of <paramref name="key"/> (any case), or null if there is none.</summary>
    public string? GetValue(string key) => Find(key)?.Value;

    /// <summary>The first binary value of <paramref name="key"/> (which ends in <c>-bin</c>), or null if there is none.</summary>
    public byte[]? GetValueBytes(string key) => Find(key)?.ValueBytes;

    /// <summary>Every entry whose key is <paramref name="key"/> (any case), in order.</summary>
    public IEnumerable<RpcMetadataEntry> GetAll(string key) =>
        _entries.Where(e => string.Equals(e.Key, key, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether an entry with <paramref name="key"/> (any case) exists.</summary>
    public bool ContainsKey(string key) => Find(key) is not null;

    /// <inheritdoc />
    public IEnumerator<RpcMetadataEntry> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Adds an entry as it came off the wire; binary values are base64 (padded or not). Bad base64 is skipped.</summary>
    internal void AddFromWire(string key, string value)
    {
        key = key.ToLowerInvariant();
        if (!key.EndsWith(BinarySuffix, StringComparison.Ordinal))
        {
            _entries.Add(new RpcMetadataEntry(key, value, null));
            return;
        }
        // Several binary values may arrive joined by commas in one header field.
        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (TryDecodeBase64(part, out var bytes))
                _entries.Add(new RpcMetadataEntry(key, null, bytes));
        }
    }

    /// <summary>The value as it goes on the wire: text as is, bytes as unpadded base64 (as grpc sends it).</summary>
    internal static string ToWireValue(RpcMetadataEntry entry) =>
        entry.IsBinary ? Convert.ToBase64String(entry.ValueBytes).TrimEnd('=') : entry.Value;

    private RpcMetadataEntry? Find(string key)
    {
        foreach (var e in _entries)
        {
            if (string.Equals(e.Key, key, StringComparison.OrdinalIgnoreCase))
                return e;
        }
        return null;
    }

    private static string NormalizeKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var lower = key.ToLowerInvariant();
        foreach (var c in lower)
        {
            if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_' or '.'))
                throw new ArgumentException($"The metadata key '{key}' contains '{c}'; keys may hold only letters, digits, '-', '_' and '.'.", nameof(key));
        }
        if (lower.StartsWith("grpc-", StringComparison.Ordinal))
            throw new ArgumentException($"The metadata key '{key}' is reserved: keys starting with 'grpc-' belong to the protocol.", nameof(key));
        return lower;
    }

    private static bool TryDecodeBase64(string text, out byte[] bytes)
    {
        var padded = (text.Length % 4) switch
        {
            2 => text + "==",
            3 => text + "=",
            _ => text,
        };
        try
        {
            bytes = Convert.FromBase64String(padded);
            return true;
        }
        catch (FormatException)
        {
            bytes = Array.Empty<byte>();
            return false;
        }
    }
}
