namespace DistTrain.Protocol.Launch;

/// <summary>A worker's environment is missing a variable or holds an invalid value; the message names the variable, shows the value and says what to do.</summary>
public sealed class LaunchVariableException(string variable, string message) : Exception(message)
{
    /// <summary>The variable at fault.</summary>
    public string Variable { get; } = variable;
}
