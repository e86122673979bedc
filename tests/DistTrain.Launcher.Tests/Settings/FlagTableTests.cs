using DistTrain.Launcher.Settings;
using DistTrain.Launcher.Tests.Support;
using DistTrain.Tests.Shared;

namespace DistTrain.Launcher.Tests.Settings;

/// <summary><c>disttrain run</c>'s flag table is the one truth: the help, the README and the parser all agree with it.</summary>
public sealed class FlagTableTests
{
    [Fact]
    public void Every_flag_has_its_own_name_alias_and_variable_and_its_default_parses()
    {
        Assert.Equal(RunFlags.All.Count, RunFlags.All.Select(f => f.Name).Distinct().Count());
        Assert.Equal(RunFlags.All.Count, RunFlags.All.Select(f => f.Variable).Distinct().Count());
        Assert.All(RunFlags.All, f => Assert.StartsWith("DISTTRAIN_", f.Variable, StringComparison.Ordinal));
        var aliases = RunFlags.All.Where(f => f.Alias is not null).Select(f => f.Alias!).ToList();
        Assert.Equal(aliases.Count, aliases.Distinct().Count());

        var (settings, errors) = RunSettingsParser.Parse(_ => null, new Dictionary<string, string>(), "prog", []);
        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromSeconds(10), settings!.GracePeriod);
        Assert.Equal(TimeSpan.FromSeconds(600), settings.RdzvTimeout);
        Assert.Equal(3, settings.Tee);
    }

    [Fact]
    public void The_launchers_README_lists_every_flag_with_the_tables_variable_default_and_meaning()
    {
        var readme = File.ReadAllLines(RepoPaths.Of("launcher/README.md"));
        var header = Array.IndexOf(readme, "| flag | variable | default | meaning |");
        Assert.True(header >= 0, "launcher/README.md has no '| flag | variable | default | meaning |' table.");
        var rows = readme.Skip(header + 2).TakeWhile(l => l.StartsWith('|')).ToList();

        var expected = RunFlags.All.Select(ReadmeRow).ToList();

        Assert.True(expected.SequenceEqual(rows), "launcher/README.md's flag table differs from RunFlags; it should read:\n" + string.Join('\n', expected));
    }

    [Fact]
    public async Task Run_help_shows_every_flag_with_its_default_and_variable()
    {
        using var run = await LauncherProcess.RunAsync(["run", "--help"], TimeSpan.FromSeconds(60));

        Assert.Equal(0, run.ExitCode);
        var help = Normalize(run.Stdout);
        Assert.All(RunFlags.All, f => Assert.Contains(Normalize(f.Help), help));
        Assert.All(RunFlags.All.Where(f => f.Alias is not null), f => Assert.Contains($"{f.Name}, {f.Alias}", help));
    }

    /// <summary>The README's row for a flag: <c>| `--flag WHAT` | `VARIABLE` | default | meaning |</c>.</summary>
    private static string ReadmeRow(Flag<RunSettings> flag)
    {
        var usage = flag.IsSwitch ? flag.Name : $"{flag.Name} {flag.HelpName!.Replace("|", "\\|", StringComparison.Ordinal)}";
        return $"| `{usage}` | `{flag.Variable}` | {flag.DefaultText} | {flag.Description} |";
    }

    private static string Normalize(string text) => string.Join(' ', text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
}
