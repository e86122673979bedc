using System.Text.Json;
using System.Text.Json.Serialization;

namespace DistTrain.Checkpointing;

/// <summary>Writes and reads <c>manifest.json</c> (snake_case JSON, indented), checking its format version first.</summary>
public static class ManifestJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    /// <summary>The manifest as UTF-8 JSON.</summary>
    public static byte[] Serialize(CheckpointManifest manifest) => JsonSerializer.SerializeToUtf8Bytes(manifest, Options);

    /// <summary>Parses a manifest read from the checkpoint <paramref name="checkpoint"/> (its directory name, for messages).</summary>
    /// <exception cref="CheckpointFormatException">The manifest has another <c>format_version</c> than this library reads.</exception>
    /// <exception cref="CheckpointCorruptException">The bytes are not a valid manifest (not JSON, a field missing or of the wrong type).</exception>
    public static CheckpointManifest Parse(ReadOnlySpan<byte> json, string checkpoint)
    {
        CheckpointManifest? manifest;
        try
        {
            using (var document = JsonDocument.Parse(json.ToArray()))
                CheckVersion(document.RootElement, checkpoint);
            manifest = JsonSerializer.Deserialize<CheckpointManifest>(json, Options);
        }
        catch (JsonException e)
        {
            throw Corrupt(checkpoint, $"is not a valid manifest ({e.Message})");
        }

        if (manifest is null)
            throw Corrupt(checkpoint, "is 'null', not a manifest");
        foreach (var file in manifest.Files)
        {
            if (file.Name is null || file.Sha256 is null || file.Sha256.Length != 64 || file.Size < 0)
                throw Corrupt(checkpoint, $"lists a file entry without a name, a size or a 64-digit sha256 ({file})");
        }

        return manifest;
    }

    private static void CheckVersion(JsonElement root, string checkpoint)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format_version", out var version)
            || !version.TryGetInt32(out var number))
            throw Corrupt(checkpoint, "has no integer format_version");
        if (number != CheckpointManifest.CurrentFormatVersion)
            throw new CheckpointFormatException(
                $"Checkpoint {checkpoint}: {CheckpointLayout.ManifestFileName} has format_version {number}, but this DistTrain reads format version "
                + $"{CheckpointManifest.CurrentFormatVersion} only. Resume with the DistTrain version that wrote it, or move {checkpoint} out of the checkpoint directory to resume from an older checkpoint.",
                checkpoint, number);
    }

    private static CheckpointCorruptException Corrupt(string checkpoint, string why) =>
        new($"Checkpoint {checkpoint}: {CheckpointLayout.ManifestFileName} {why}.", checkpoint, CheckpointLayout.ManifestFileName);
}
