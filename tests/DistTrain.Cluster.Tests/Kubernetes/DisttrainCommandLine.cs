using DistTrain.Launcher.Settings;

namespace DistTrain.Cluster.Tests.Kubernetes;

/// <summary>
/// A container's <c>disttrain</c> command line (<c>command</c> + <c>args</c>), split into the
/// subcommand (<c>run</c>, <c>coordinator</c>), its options, and the program after <c>--</c>.
/// For <c>disttrain run</c>, the launcher's own parser reads it (flags, else variables, else defaults).
/// </summary>
internal sealed class DisttrainCommandLine
{
    private readonly Dictionary<string, string> _options;
    private readonly Dictionary<string, string> _env;

    private DisttrainCommandLine(IReadOnlyList<string> arguments, Dictionary<string, string> options, IReadOnlyList<string> program, Dictionary<string, string> env)
    {
        Arguments = arguments;
        Subcommand = arguments[0];
        _options = options;
        Program = program;
        _env = env;
    }

    /// <summary>Everything after <c>disttrain</c>: the subcommand first.</summary>
    public IReadOnlyList<string> Arguments { get; }

    public string Subcommand { get; }

    /// <summary>The variables the container sets to literal values (not from Secrets or fields).</summary>
    public IReadOnlyDictionary<string, string> LiteralEnvironment => _env;

    /// <summary>What follows <c>--</c>: the training program and its arguments.</summary>
    public IReadOnlyList<string> Program { get; }

    /// <summary>The container's disttrain command line, or null when it does not run disttrain.</summary>
    public static DisttrainCommandLine? Of(Dictionary<object, object?> container)
    {
        var words = Yaml.Texts(container, "command").Concat(Yaml.Texts(container, "args")).ToList();
        if (words.Count < 2 || Path.GetFileName(words[0]) != "disttrain")
            return null;

        var options = new Dictionary<string, string>();
        var program = new List<string>();
        for (var i = 2; i < words.Count; i++)
        {
            if (words[i] == "--")
            {
                program.AddRange(words.Skip(i + 1));
                break;
            }

            if (!words[i].StartsWith("--", StringComparison.Ordinal))
                continue;
            var equals = words[i].IndexOf('=');
            if (equals > 0)
                options[words[i][..equals]] = words[i][(equals + 1)..];
            else if (i + 1 < words.Count && !words[i + 1].StartsWith("--", StringComparison.Ordinal))
                options[words[i]] = words[++i];
            else
                options[words[i]] = "true";
        }

        var env = Yaml.Maps(container, "env")
            .Where(e => e.GetValueOrDefault("value") is string)
            .ToDictionary(e => Yaml.Text(e, "name"), e => Yaml.Text(e, "value"));
        return new DisttrainCommandLine(words.Skip(1).ToList(), options, program, env);
    }

    /// <summary>The value given for <paramref name="flag"/> on the command line, or null.</summary>
    public string? Option(string flag) => _options.GetValueOrDefault(flag);

    /// <summary>
    /// What the launcher's own settings parser makes of this <c>disttrain run</c> command line and the
    /// container's literal variables (the token, which comes from a Secret, stood in for by a valid one).
    /// </summary>
    public (RunSettings? Settings, IReadOnlyList<string> Errors) RunSettings()
    {
        var environment = new Dictionary<string, string>(_env) { [RunFlags.Token.Variable] = "from-the-secret" };
        return RunSettingsParser.Parse(Option, environment, Program.FirstOrDefault(), Program.Skip(1).ToArray());
    }
}
