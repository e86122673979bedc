namespace DistTrain.Launcher.Detection;

/// <summary>
/// A check before any worker starts failed: the environment contradicts the flags, the GPUs do not
/// cover the workers, the program or the coordinator cannot be found. The message says what was found,
/// what was expected and what to do.
/// </summary>
public sealed class PreflightException : Exception
{
    /// <summary>Creates the exception with its message.</summary>
    public PreflightException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    public PreflightException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
