using System.CommandLine;
using DistTrain.Launcher.Settings;

namespace DistTrain.Launcher.Cli;

/// <summary>Adds a flag table's options to a command, and reads back what the command line gave for each.</summary>
public static class FlagOptions
{
    /// <summary>
    /// Adds one option per flag to <paramref name="command"/>, its help taken from the table; returns the
    /// lookup <see cref="FlagParser"/> takes: a flag's text on the command line, or null when it was not given.
    /// </summary>
    public static Func<ParseResult, Func<string, string?>> AddTo<TSettings>(Command command, IEnumerable<Flag<TSettings>> flags)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(flags);
        var options = new Dictionary<string, Option>(StringComparer.Ordinal);
        foreach (var flag in flags)
        {
            string[] aliases = flag.Alias is null ? [] : [flag.Alias];
            Option option = flag.IsSwitch
                ? new Option<bool>(flag.Name, aliases) { Description = flag.Help }
                : new Option<string?>(flag.Name, aliases) { Description = flag.Help, HelpName = flag.HelpName };
            options[flag.Name] = option;
            command.Options.Add(option);
        }

        return result => name =>
        {
            if (!options.TryGetValue(name, out var option) || result.GetResult(option) is not { Implicit: false })
            {
                return null;
            }

            return option is Option<bool> toggle ? (result.GetValue(toggle) ? "true" : "false") : result.GetValue((Option<string?>)option) ?? "";
        };
    }
}
