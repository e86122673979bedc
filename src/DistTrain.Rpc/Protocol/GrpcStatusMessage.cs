using System.Text;

namespace DistTrain.Rpc.Protocol;

/// <summary>
/// The <c>grpc-message</c> encoding: UTF-8, with every byte outside printable ASCII and '%' itself
/// written as %XX.
/// </summary>
internal static class GrpcStatusMessage
{
    public static string Encode(string message)
    {
        var needs = false;
        foreach (var c in message)
        {
            if (c < 0x20 || c > 0x7E || c == '%')
            {
                needs = true;
                break;
            }
        }
        if (!needs)
            return message;
        var builder = new StringBuilder(message.Length + 16);
        foreach (var b in Encoding.UTF8.GetBytes(message))
        {
            if (b < 0x20 || b > 0x7E || b == '%')
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            else
                builder.Append((char)b);
        }
        return builder.ToString();
    }

    /// <summary>Decodes %XX sequences; a malformed one is kept as is rather than failing the call.</summary>
    public static string Decode(string? value)
    {
        if (string.IsNullOrEmpty(value) || !value.Contains('%'))
            return value ?? string.Empty;
        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '%' && i + 2 < value.Length
                && Uri.IsHexDigit(value[i + 1]) && Uri.IsHexDigit(value[i + 2]))
            {
                bytes.Add((byte)Convert.ToInt32(value.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.Add((byte)value[i]);
            }
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
