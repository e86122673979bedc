using System.Text;
using System.Text.Json;

namespace DistTrain.Torch.Serialization;

/// <summary>One tensor's entry in a safetensors header: dtype, shape and byte range in the data section.</summary>
internal sealed record SafeTensorsEntry(string Name, ScalarType DType, long[] Shape, long Begin, long End);

/// <summary>
/// Parses and validates a safetensors header (the JSON after the 8-byte length) against the size of
/// the data section, and writes one. Validation follows the format's rules: known dtypes, offsets inside
/// the data, shape × element size equal to the byte range, ranges contiguous from 0 with no gap or overlap.
/// </summary>
internal static class SafeTensorsHeader
{
    public const string MetadataKey = "__metadata__";

    public static (List<SafeTensorsEntry> Entries, Dictionary<string, string> Metadata) Parse(string path, ReadOnlySpan<byte> json, long dataLength)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException e)
        {
            throw new SafeTensorsFormatException(path, $"its header is not valid JSON ({e.Message}). The file is corrupt or not safetensors; write it again.", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new SafeTensorsFormatException(path, $"its header is a JSON {root.ValueKind} but must be an object mapping tensor names to entries.");
            var entries = new List<SafeTensorsEntry>();
            var metadata = new Dictionary<string, string>();
            foreach (var property in root.EnumerateObject())
            {
                if (property.Name == MetadataKey) ReadMetadata(path, property.Value, metadata);
                else entries.Add(ReadEntry(path, property.Name, property.Value));
            }
            CheckLayout(path, entries, dataLength);
            return (entries, metadata);
        }
    }

    private static void ReadMetadata(string path, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new SafeTensorsFormatException(path, $"'{MetadataKey}' must be an object of strings but is a JSON {value.ValueKind}.");
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw new SafeTensorsFormatException(path, $"metadata '{item.Name}' must be a string but is a JSON {item.Value.ValueKind}.");
            metadata[item.Name] = item.Value.GetString()!;
        }
    }

    private static SafeTensorsEntry ReadEntry(string path, string name, JsonElement value)
    {
        string Where() => $"tensor '{name}'";
        if (value.ValueKind != JsonValueKind.Object)
            throw new SafeTensorsFormatException(path, $"{Where()} must be an object with dtype, shape and data_offsets.");
        if (!value.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String)
            throw new SafeTensorsFormatException(path, $"{Where()} has no string 'dtype'.");
        if (!SafeTensorsDType.TryParse(dtype.GetString()!, out var type))
            throw new SafeTensorsFormatException(path, $"{Where()} has the unknown or unsupported dtype '{dtype.GetString()}'; supported: {SafeTensorsDType.Known}. Convert it when writing the file.");
        var shape = ReadIntegers(path, value, "shape", Where());
        if (shape.Any(d => d < 0))
            throw new SafeTensorsFormatException(path, $"{Where()} has a negative dimension in its shape [{string.Join(", ", shape)}].");
        var offsets = ReadIntegers(path, value, "data_offsets", Where());
        if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0])
            throw new SafeTensorsFormatException(path, $"{Where()} has data_offsets [{string.Join(", ", offsets)}]; expected [begin, end] with 0 <= begin <= end.");
        return new SafeTensorsEntry(name, type, shape, offsets[0], offsets[1]);
    }

    private static long[] ReadIntegers(string path, JsonElement value, string property, string where)
    {
        if (!value.TryGetProperty(property, out var array) || array.ValueKind != JsonValueKind.Array)
            throw new SafeTensorsFormatException(path, $"{where} has no '{property}' array.");
        var result = new long[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out result[i++]))
                throw new SafeTensorsFormatException(path, $"{where} has a non-integer in '{property}' ({item}).");
        }
        return result;
    }

    private static void CheckLayout(string path, List<SafeTensorsEntry> entries, long dataLength)
    {
        foreach (var e in entries)
        {
            var numel = e.Shape.Aggregate(1L, (a, d) => checked(a * d));
            var expected = checked(numel * torch.ElementSize(e.DType));
            if (e.End - e.Begin != expected)
                throw new SafeTensorsFormatException(path, $"tensor '{e.Name}' has shape [{string.Join(", ", e.Shape)}] of {SafeTensorsDType.NameOf(e.DType)}, which needs {expected} bytes, but its data_offsets [{e.Begin}, {e.End}] span {e.End - e.Begin}.");
            if (e.End > dataLength)
                throw new SafeTensorsFormatException(path, $"tensor '{e.Name}' ends at data byte {e.End} but the file holds only {dataLength} bytes of data: the file is truncated or its offsets are out of range. Write it again.");
        }
        long position = 0;
        foreach (var e in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (e.Begin < position)
                throw new SafeTensorsFormatException(path, $"tensor '{e.Name}' (bytes {e.Begin}..{e.End}) overlaps the tensor before it, which ends at {position}.");
            if (e.Begin > position)
                throw new SafeTensorsFormatException(path, $"there is a gap of {e.Begin - position} bytes before tensor '{e.Name}' (at {position}); data must be contiguous.");
            position = e.End;
        }
        if (position != dataLength)
            throw new SafeTensorsFormatException(path, $"the tensors cover {position} bytes of data but the file holds {dataLength}: there are trailing bytes after the last tensor.");
    }

    /// <summary>The header's JSON, padded with spaces to a multiple of 8 bytes so the data starts aligned.</summary>
    public static byte[] Write(IReadOnlyList<SafeTensorsEntry> entries, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                writer.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata) writer.WriteString(key, value);
                writer.WriteEndObject();
            }
            foreach (var e in entries)
            {
                writer.WriteStartObject(e.Name);
                writer.WriteString("dtype", SafeTensorsDType.NameOf(e.DType));
                writer.WriteStartArray("shape");
                foreach (var d in e.Shape) writer.WriteNumberValue(d);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(e.Begin);
                writer.WriteNumberValue(e.End);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        var padding = (int)((8 - buffer.Length % 8) % 8);
        for (var i = 0; i < padding; i++) buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }
}
