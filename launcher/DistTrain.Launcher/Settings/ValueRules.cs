using System.Globalization;
using DistTrain.Coordinator;
using DistTrain.Coordinator.Hosting;

namespace DistTrain.Launcher.Settings;

/// <summary>
/// How a flag's text becomes a value. Each rule throws <see cref="FormatException"/> whose message
/// completes "--flag ('text') …" with what the value must be.
/// </summary>
public static class ValueRules
{
    /// <summary>An integer from <paramref name="min"/> to <paramref name="max"/>; <paramref name="rule"/> says what it is.</summary>
    public static int Integer(string text, int min, int max, string rule) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new FormatException($"must be {rule}");

    /// <summary>A number of seconds from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static TimeSpan Seconds(string text, double min, double max) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? TimeSpan.FromSeconds(value)
            : throw new FormatException($"must be a number of seconds from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>A text of 1 to <paramref name="maxLength"/> characters.</summary>
    public static string Text(string text, int maxLength) =>
        text.Length > 0 && text.Length <= maxLength ? text : throw new FormatException($"must be 1 to {maxLength} characters");

    /// <summary>A switch's value: <c>1</c>, <c>true</c>, <c>yes</c>, <c>on</c> (or nothing) and their opposites.</summary>
    public static bool Switch(string text) => text.ToLowerInvariant() switch
    {
        "" or "1" or "true" or "yes" or "on" => true,
        "0" or "false" or "no" or "off" => false,
        _ => throw new FormatException("must be true or false (1/0, yes/no)"),
    };

    /// <summary>One of <typeparamref name="T"/>'s names, in any case.</summary>
    public static T Choice<T>(string text)
        where T : struct, Enum =>
        Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) && !int.TryParse(text, out _)
            ? value
            : throw new FormatException($"must be one of: {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}");

    /// <summary>The job's token: as long as the coordinator requires.</summary>
    public static string Token(string text) =>
        text.Length >= CoordinatorOptions.MinTokenLength
            ? text
            : throw new FormatException($"must be at least {CoordinatorOptions.MinTokenLength} characters");

    /// <summary><c>N</c>, <c>gpu</c>, <c>cpu</c> or <c>auto</c>.</summary>
    public static NprocSpec Nproc(string text) => text.ToLowerInvariant() switch
    {
        "gpu" => new NprocSpec(NprocKind.Gpu, 0),
        "cpu" => new NprocSpec(NprocKind.Cpu, 0),
        "auto" => new NprocSpec(NprocKind.Auto, 0),
        _ => new NprocSpec(NprocKind.Count, Integer(text, 1, 1024, "a number of workers from 1 to 1024, or gpu, cpu or auto")),
    };

    /// <summary><c>N</c> or <c>MIN:MAX</c> nodes, at least one.</summary>
    public static NodeRange Nodes(string text)
    {
        NodeRange range;
        try
        {
            range = NodeRange.Parse(text);
        }
        catch (FormatException)
        {
            throw new FormatException("must be N or MIN:MAX, for example 2 or 1:4");
        }

        if (range.Min < 1)
        {
            throw new FormatException($"must have a minimum number of nodes ({range.Min}) of at least 1");
        }

        if (range.Max < range.Min)
        {
            throw new FormatException($"must have a maximum number of nodes ({range.Max}) greater than or equal to the minimum ({range.Min})");
        }

        return range;
    }

    /// <summary><c>host:port</c>, <c>[v6]:port</c> or a bare host (port 29400).</summary>
    public static Endpoint Endpoint(string text)
    {
        const string usage = "must be host:port, for example node0:29400";
        const string portRule = "host:port with a port from 1 to 65535";
        string host;
        var port = Settings.Endpoint.DefaultPort;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new FormatException(usage);
            }

            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0)
            {
                port = rest.StartsWith(':') ? Integer(rest[1..], 1, 65535, portRule) : throw new FormatException(usage);
            }
        }
        else
        {
            var colon = text.LastIndexOf(':');
            host = colon < 0 ? text : text[..colon];
            if (colon >= 0)
            {
                port = Integer(text[(colon + 1)..], 1, 65535, portRule);
            }
        }

        if (host.Length == 0 || host.Any(char.IsWhiteSpace) || host.Contains('/', StringComparison.Ordinal))
        {
            throw new FormatException(usage);
        }

        return new Endpoint(host, port);
    }
}
