namespace DistTrain.Launcher.Settings;

/// <summary>
/// One flag of a <c>disttrain</c> command, the single description both the command line and the
/// parser use: its names, its variable, its default, its help and how its text sets a setting.
/// </summary>
/// <typeparam name="TSettings">The settings the flag sets.</typeparam>
/// <param name="Name">The long name, for example <c>--nnodes</c>.</param>
/// <param name="Alias">torchrun's spelling (<c>--nproc_per_node</c>), or null.</param>
/// <param name="Variable">The <c>DISTTRAIN_*</c> variable read when the flag is not given.</param>
/// <param name="HelpName">What the flag takes, for help (<c>N|MIN:MAX</c>); null for a switch.</param>
/// <param name="Default">The text applied when neither the flag nor its variable is given; null: left unset.</param>
/// <param name="DefaultNote">How the default is described when it depends on the environment; null: <paramref name="Default"/> itself.</param>
/// <param name="Description">One sentence on what it does.</param>
/// <param name="Apply">Sets the setting from a text; throws <see cref="FormatException"/> naming the rule when the text is wrong.</param>
public sealed record Flag<TSettings>(
    string Name, string? Alias, string Variable, string? HelpName, string? Default, string? DefaultNote, string Description, Action<TSettings, string> Apply)
{
    /// <summary>Whether the flag takes no value (<c>--standalone</c>).</summary>
    public bool IsSwitch => HelpName is null;

    /// <summary>The default as help and the README show it.</summary>
    public string DefaultText => DefaultNote ?? Default ?? "none";

    /// <summary>The help line: what it does, its default and its variable.</summary>
    public string Help => $"{Description} Default: {DefaultText}. [env: {Variable}]";
}
