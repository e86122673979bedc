namespace DistTrain.Distributed;

/// <summary>The worker's environment is missing a variable or holds an invalid value; the message names the variable and what to do.</summary>
public sealed class LaunchEnvironmentException : Exception
{
    /// <summary>An error about <paramref name="variable"/>.</summary>
    public LaunchEnvironmentException(string variable, string message)
        : base(message) => Variable = variable;

    /// <summary>An error about <paramref name="variable"/> found by <paramref name="innerException"/> (the contract's reader).</summary>
    public LaunchEnvironmentException(string variable, string message, Exception innerException)
        : base(message, innerException) => Variable = variable;

    /// <summary>The variable at fault.</summary>
    public string Variable { get; }
}
