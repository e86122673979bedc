namespace DistTrain.Launcher.Settings;

/// <summary>Turns <c>disttrain run</c>'s flags, variables and program into <see cref="RunSettings"/>, refusing contradictions.</summary>
public static class RunSettingsParser
{
    /// <summary>Parses every setting; returns null settings when any is invalid, with the problems, one sentence each.</summary>
    /// <param name="given">The text given for a flag (by its long name, for example <c>--nnodes</c>), or null when absent.</param>
    /// <param name="environment">The agent's environment.</param>
    /// <param name="program">The first word after <c>--</c>, or null.</param>
    /// <param name="programArgs">The words after it.</param>
    public static (RunSettings? Settings, IReadOnlyList<string> Errors) Parse(
        Func<string, string?> given, IReadOnlyDictionary<string, string> environment, string? program, IReadOnlyList<string> programArgs)
    {
        var s = new RunSettings();
        var errors = FlagParser.Apply(s, RunFlags.All, given, environment).ToList();
        if (string.IsNullOrWhiteSpace(program))
        {
            errors.Add("No program to run: put it after '--', for example: disttrain run --standalone --nproc-per-node 2 -- dotnet train.dll");
        }
        else if (program.StartsWith('-'))
        {
            errors.Add($"Unrecognized option '{program}'. The program and its arguments come after '--'.");
        }
        else
        {
            s.Program = program;
            s.ProgramArgs = programArgs;
        }

        if (s.Standalone && s.Nnodes is { } range && (range.Min != 1 || range.Max != 1))
        {
            errors.Add($"--standalone runs one node, but --nnodes is {range}: drop --standalone and give --rdzv-endpoint, or use --nnodes 1.");
        }

        if (s.Standalone && s.Coordinator == CoordinatorMode.Connect)
        {
            errors.Add("--standalone embeds the coordinator, so --coordinator connect contradicts it.");
        }

        if (s.Nnodes is { } nodes && s.NodeRank is { } rank && rank >= nodes.Max)
        {
            errors.Add($"The node rank ({rank}) must be less than the maximum number of nodes ({nodes.Max}).");
        }

        return errors.Count == 0 ? (s, errors) : (null, errors);
    }
}
