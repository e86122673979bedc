using System.Globalization;
using DistTrain.Coordinator.Hosting;

namespace DistTrain.Launcher.Cli;

/// <summary>
/// Turns <c>disttrain run</c>'s raw values (a flag's text, else its <c>DISTTRAIN_*</c> variable) into
/// <see cref="RunSettings"/>. Every bad value is reported, each with where it came from, its value and
/// the rule, so one run shows them all.
/// </summary>
public sealed class RunSettingsParser
{
    private readonly Func<string, string?> _flag;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly List<string> _errors = [];

    /// <summary>Creates a parser.</summary>
    /// <param name="flag">The text given for a flag (by its long name, for example <c>--nnodes</c>), or null when absent.</param>
    /// <param name="environment">The agent's environment.</param>
    public RunSettingsParser(Func<string, string?> flag, IReadOnlyDictionary<string, string> environment)
    {
        _flag = flag;
        _environment = environment;
    }

    /// <summary>The problems found by <see cref="Parse"/>, one sentence each.</summary>
    public IReadOnlyList<string> Errors => _errors;

    /// <summary>Parses every setting; returns null when any is invalid (see <see cref="Errors"/>).</summary>
    public RunSettings? Parse(string? program, IReadOnlyList<string> programArgs)
    {
        var s = new RunSettings();
        s.NprocPerNode = Value("--nproc-per-node", FlagVariables.NprocPerNode, ParseNproc);
        s.Nnodes = Value("--nnodes", FlagVariables.Nnodes, ParseNodes);
        s.NodeRank = Value<int?>("--node-rank", FlagVariables.NodeRank, t => Integer(t, 0, 1_000_000, "a node rank (0 or more)"));
        s.RdzvEndpoint = Value<Endpoint?>("--rdzv-endpoint", FlagVariables.RdzvEndpoint, t => ParseEndpoint(t));
        s.RdzvId = Value("--rdzv-id", FlagVariables.RdzvId, t => t.Length is > 0 and <= 128 ? t : throw new FormatException("must be 1 to 128 characters"));
        s.Standalone = Value("--standalone", FlagVariables.Standalone, ParseBool);
        s.MaxRestarts = Value("--max-restarts", FlagVariables.MaxRestarts, t => Integer(t, 0, 1_000_000, "a number of restarts (0 or more)"));
        s.MonitorInterval = Value("--monitor-interval", FlagVariables.MonitorInterval, t => Seconds(t, 0.01, 60), s.MonitorInterval);
        s.LogDir = Value("--log-dir", FlagVariables.LogDir, t => t);
        s.Tee = Value("--tee", FlagVariables.Tee, t => Integer(t, 0, 3, "0 (no stream), 1 (stdout), 2 (stderr) or 3 (both)"), s.Tee);
        s.Token = Value("--token", FlagVariables.Token, t => t.Length >= 8 ? t : throw new FormatException("must be at least 8 characters"));
        s.NodeId = Value("--node-id", FlagVariables.NodeId, t => t.Length is > 0 and <= 256 ? t : throw new FormatException("must be 1 to 256 characters"));
        s.LocalAddr = Value("--local-addr", FlagVariables.LocalAddr, t => t);
        s.GracePeriod = Value("--grace-period", FlagVariables.GracePeriod, t => Seconds(t, 0, 3600), s.GracePeriod);
        s.LastCallTimeout = Value("--last-call-timeout", FlagVariables.LastCallTimeout, t => Seconds(t, 0, 3600), s.LastCallTimeout);
        s.RdzvTimeout = Value("--rdzv-timeout", FlagVariables.RdzvTimeout, t => Seconds(t, 1, 86_400), s.RdzvTimeout);
        s.HeartbeatInterval = Value("--heartbeat-interval", FlagVariables.HeartbeatInterval, t => Seconds(t, 0.1, 600), s.HeartbeatInterval);
        s.Coordinator = Value("--coordinator", FlagVariables.Coordinator, t => Choice<CoordinatorMode>(t), s.Coordinator);
        s.Progress = Value("--progress", FlagVariables.Progress, t => Choice<ProgressMode>(t), s.Progress);

        if (string.IsNullOrWhiteSpace(program))
        {
            _errors.Add("No program to run: put it after '--', for example: disttrain run --standalone --nproc-per-node 2 -- dotnet train.dll");
        }
        else if (program.StartsWith('-'))
        {
            _errors.Add($"Unrecognized option '{program}'. The program and its arguments come after '--'.");
        }
        else
        {
            s.Program = program;
            s.ProgramArgs = programArgs;
        }

        if (s.Standalone && s.Nnodes is { } range && (range.Min != 1 || range.Max != 1))
        {
            _errors.Add($"--standalone runs one node, but --nnodes is {range}: drop --standalone and give --rdzv-endpoint, or use --nnodes 1.");
        }

        if (s.Standalone && s.Coordinator == CoordinatorMode.Connect)
        {
            _errors.Add("--standalone embeds the coordinator, so --coordinator connect contradicts it.");
        }

        if (s.Nnodes is { } nodes && s.NodeRank is { } rank && rank >= nodes.Max)
        {
            _errors.Add($"The node rank ({rank}) must be less than the maximum number of nodes ({nodes.Max}).");
        }

        return _errors.Count == 0 ? s : null;
    }

    private T Value<T>(string flag, string variable, Func<string, T> parse, T fallback = default!)
    {
        var text = _flag(flag);
        var source = $"{flag} ('{text}')";
        if (text is null && _environment.TryGetValue(variable, out var fromEnvironment) && fromEnvironment.Length > 0)
        {
            text = fromEnvironment;
            source = $"{flag} ('{text}', from {variable})";
        }

        if (text is null)
        {
            return fallback;
        }

        try
        {
            return parse(text.Trim());
        }
        catch (FormatException ex)
        {
            _errors.Add($"{source} {ex.Message}.");
            return fallback;
        }
    }

    /// <summary>Parses <c>N</c>, <c>gpu</c>, <c>cpu</c> or <c>auto</c>.</summary>
    internal static NprocSpec? ParseNproc(string text) => text.ToLowerInvariant() switch
    {
        "gpu" => new NprocSpec(NprocKind.Gpu, 0),
        "cpu" => new NprocSpec(NprocKind.Cpu, 0),
        "auto" => new NprocSpec(NprocKind.Auto, 0),
        _ => new NprocSpec(NprocKind.Count, Integer(text, 1, 1024, "a number of workers from 1 to 1024, or gpu, cpu or auto")),
    };

    private static NodeRange? ParseNodes(string text)
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

    /// <summary>Parses <c>host:port</c>, <c>[v6]:port</c> or a bare host (port 29400).</summary>
    internal static Endpoint ParseEndpoint(string text)
    {
        string host;
        var port = RunSettings.DefaultPort;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new FormatException("must be host:port, for example node0:29400");
            }

            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0)
            {
                port = rest.StartsWith(':') ? Integer(rest[1..], 1, 65535, "host:port with a port from 1 to 65535") : throw new FormatException("must be host:port, for example node0:29400");
            }
        }
        else
        {
            var colon = text.LastIndexOf(':');
            host = colon < 0 ? text : text[..colon];
            if (colon >= 0)
            {
                port = Integer(text[(colon + 1)..], 1, 65535, "host:port with a port from 1 to 65535");
            }
        }

        if (host.Length == 0 || host.Any(char.IsWhiteSpace) || host.Contains('/', StringComparison.Ordinal))
        {
            throw new FormatException("must be host:port, for example node0:29400");
        }

        return new Endpoint(host, port);
    }

    private static bool ParseBool(string text) => text.ToLowerInvariant() switch
    {
        "" or "1" or "true" or "yes" or "on" => true,
        "0" or "false" or "no" or "off" => false,
        _ => throw new FormatException("must be true or false (1/0, yes/no)"),
    };

    private static int Integer(string text, int min, int max, string rule) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new FormatException($"must be {rule}");

    private static TimeSpan Seconds(string text, double min, double max) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? TimeSpan.FromSeconds(value)
            : throw new FormatException($"must be a number of seconds from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");

    private static T Choice<T>(string text)
        where T : struct, Enum =>
        Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) && !int.TryParse(text, out _)
            ? value
            : throw new FormatException($"must be one of: {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}");
}
