using System.Text;
using Google.Protobuf;

namespace DistTrain.Launcher.Tests.Support;

/// <summary>
/// The strings in a protobuf message read as raw wire format, without its schema: every length-delimited
/// field that is readable text, at any depth (a field that parses as a message is walked too). Enough
/// to see which names an OTLP export carries (scope, metric, span and attribute names, string values)
/// without OTLP's .proto files.
/// </summary>
internal static class ProtobufStrings
{
    // Deeper than any OTLP message nests (attribute values in a data point in a metric in a scope in a resource).
    private const int MaxDepth = 16;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The text fields of <paramref name="message"/>, in wire order.</summary>
    public static IReadOnlyList<string> Of(byte[] message)
    {
        var strings = new List<string>();
        if (!TryWalk(message, 0, strings))
        {
            throw new InvalidDataException($"The {message.Length} bytes are not a protobuf message.");
        }

        return strings;
    }

    // Adds the text fields of message to strings; false, with strings as they were, when it is not a message.
    private static bool TryWalk(byte[] message, int depth, List<string> strings)
    {
        var found = new List<string>();
        try
        {
            var input = new CodedInputStream(message);
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                if (WireFormat.GetTagWireType(tag) != WireFormat.WireType.LengthDelimited)
                {
                    input.SkipLastField();
                    continue;
                }

                var field = input.ReadBytes().ToByteArray();
                if (Text(field) is { } text)
                {
                    found.Add(text);
                }
                else if (depth < MaxDepth)
                {
                    TryWalk(field, depth + 1, found);
                }
            }
        }
        catch (InvalidProtocolBufferException)
        {
            return false;
        }

        strings.AddRange(found);
        return true;
    }

    // Valid UTF-8 without control characters: a string field, not a nested message (whose tags and lengths are mostly control bytes).
    private static string? Text(byte[] field)
    {
        if (field.Length == 0)
        {
            return null;
        }

        try
        {
            var text = StrictUtf8.GetString(field);
            return text.Any(char.IsControl) ? null : text;
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
