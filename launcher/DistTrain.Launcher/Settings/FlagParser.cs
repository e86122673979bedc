namespace DistTrain.Launcher.Settings;

/// <summary>
/// The rule every <c>disttrain</c> flag follows: the flag's text, else its variable's, else its default.
/// Every bad value is reported, each with where it came from, its value and the rule, so one run shows them all.
/// </summary>
public static class FlagParser
{
    /// <summary>Applies each of <paramref name="flags"/> to <paramref name="settings"/>; returns the problems, one sentence each.</summary>
    /// <param name="settings">The settings to fill in.</param>
    /// <param name="flags">The command's flag table.</param>
    /// <param name="given">The text given on the command line for a flag (by its long name), or null when absent.</param>
    /// <param name="environment">The process's environment.</param>
    public static IReadOnlyList<string> Apply<TSettings>(
        TSettings settings, IEnumerable<Flag<TSettings>> flags, Func<string, string?> given, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentNullException.ThrowIfNull(given);
        ArgumentNullException.ThrowIfNull(environment);
        var errors = new List<string>();
        foreach (var flag in flags)
        {
            var text = given(flag.Name);
            var source = $"{flag.Name} ('{text}')";
            if (text is null && environment.TryGetValue(flag.Variable, out var fromEnvironment) && fromEnvironment.Length > 0)
            {
                text = fromEnvironment;
                source = $"{flag.Name} ('{text}', from {flag.Variable})";
            }

            text ??= flag.Default;
            if (text is null)
            {
                continue;
            }

            try
            {
                flag.Apply(settings, text.Trim());
            }
            catch (FormatException ex)
            {
                errors.Add($"{source} {ex.Message}.");
            }
        }

        return errors;
    }
}
