namespace DistTrain.Protocol.Launch;

/// <summary>
/// One variable of a worker's environment, as <see cref="LaunchVariables"/> lists it. <see cref="Default"/>
/// and <see cref="Meaning"/> are documentation (Markdown inline text): docs/ENVIRONMENT.md's table shows them
/// as they are, and a test holds the two to each other.
/// </summary>
/// <param name="Name">The variable's name, for example <c>RANK</c>.</param>
/// <param name="SetBy">Who sets it.</param>
/// <param name="Use">Whether the runtime reads it and whether it is required.</param>
/// <param name="Default">What applies when it is not set; null when nothing does (required, or not read).</param>
/// <param name="Meaning">What it means, in one sentence.</param>
public sealed record LaunchVariable(string Name, VariableSource SetBy, RuntimeUse Use, string? Default, string Meaning)
{
    /// <summary>The variable's name.</summary>
    public override string ToString() => Name;
}
