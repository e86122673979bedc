namespace DistTrain.Rpc;

/// <summary>
/// One metadata key and its value. Keys are lower-case; keys ending in <c>-bin</c> carry bytes
/// (base64 on the wire), all others printable ASCII text.
/// </summary>
public sealed class RpcMetadataEntry
{
    private readonly string? _text;
    private readonly byte[]? _bytes;

    internal RpcMetadataEntry(string key, string? text, byte[]? bytes)
    {
        Key = key;
        _text = text;
        _bytes = bytes;
    }

    /// <summary>The lower-case key.</summary>
    public string Key { get; }

    /// <summary>Whether the key ends in <c>-bin</c>, so the value is bytes.</summary>
    public bool IsBinary => _bytes is not null;

    /// <summary>The text value. Throws <see cref="InvalidOperationException"/> for a binary (<c>-bin</c>) entry.</summary>
    public string Value => _text ?? throw new InvalidOperationException($"The metadata entry '{Key}' is binary; read ValueBytes.");

    /// <summary>The binary value. Throws <see cref="InvalidOperationException"/> for a text entry.</summary>
    public byte[] ValueBytes => _bytes ?? throw new InvalidOperationException($"The metadata entry '{Key}' is text; read Value.");

    /// <inheritdoc />
    public override string ToString() => IsBinary ? $"{Key}: <{_bytes!.Length} bytes>" : $"{Key}: {_text}";
}
