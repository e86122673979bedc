using DistTrain.Protocol.Launch;

namespace DistTrain.Distributed.Tests.Launch;

/// <summary>docs/ENVIRONMENT.md's table of variables held against the contract's (<see cref="LaunchVariables.All"/>), a row per variable.</summary>
internal static class EnvironmentDocTable
{
    /// <summary>The header line the table starts with.</summary>
    public const string Header = "| variable | set by | runtime | default | meaning |";

    private const string NoDefault = "—";

    /// <summary>The row the doc has for <paramref name="variable"/> when it agrees with the contract.</summary>
    public static string Row(LaunchVariable variable) =>
        $"| `{variable.Name}` | {SetBy(variable.SetBy)} | {Use(variable.Use)} | {variable.Default ?? NoDefault} | {variable.Meaning} |";

    /// <summary>Where the table in <paramref name="markdown"/> and the contract disagree, one line each, naming the variable; empty when they agree.</summary>
    public static IReadOnlyList<string> Problems(string markdown)
    {
        var lines = markdown.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var start = lines.IndexOf(Header);
        if (start < 0) return [$"no table headed '{Header}'"];

        var problems = new List<string>();
        var documented = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(start + 2).TakeWhile(l => l.StartsWith('|')))
        {
            var cells = line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            var name = cells[0].Trim('`');
            if (cells.Length != 5) problems.Add($"the row of {name} has {cells.Length} cells, not 5: {line}");
            else if (!documented.TryAdd(name, cells)) problems.Add($"{name} is listed twice");
        }

        foreach (var variable in LaunchVariables.All)
        {
            if (!documented.Remove(variable.Name, out var cells))
            {
                problems.Add($"{variable.Name} is not listed, but the contract has it: add {Row(variable)}");
                continue;
            }

            Compare(variable, "set by", cells[1], SetBy(variable.SetBy));
            Compare(variable, "runtime", cells[2], Use(variable.Use));
            Compare(variable, "default", cells[3], variable.Default ?? NoDefault);
            Compare(variable, "meaning", cells[4], variable.Meaning);
        }

        problems.AddRange(documented.Keys.Select(name => $"{name} is listed, but the contract (LaunchVariables) does not have it"));
        return problems;

        void Compare(LaunchVariable variable, string column, string documented, string contract)
        {
            if (documented != contract) problems.Add($"{variable.Name}'s {column} is '{documented}', but the contract's is '{contract}'");
        }
    }

    private static string SetBy(VariableSource source) => source == VariableSource.Launcher ? "`disttrain run`" : "user";

    private static string Use(RuntimeUse use) => use switch
    {
        RuntimeUse.Required => "required",
        RuntimeUse.Optional => "optional",
        _ => "not read",
    };
}
