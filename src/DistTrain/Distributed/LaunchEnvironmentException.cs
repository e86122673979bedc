namespace DistTrain.Distributed;

/// <summary>The worker's environment is missing a variable or holds an invalid value; the message names the variable and what to do.</summary>
public sealed class LaunchEnvironmentException(string variable, string message) : Exception(message)
{
    /// <summary>The variable at fault.</summary>
    public string Variable { get; } = variable;
}
