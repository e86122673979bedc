namespace DistTrain.Examples.Cifar;

/// <summary>How the CIFAR-format examples end on bad input (data, weights, patterns): the message on standard error and exit code 1, no stack trace.</summary>
public static class CifarErrors
{
    /// <summary>Runs <paramref name="run"/>; a missing or malformed directory or file, or a bad argument, becomes its message and 1.</summary>
    public static int Report(Action run)
    {
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            run();
            return 0;
        }
        catch (Exception e) when (e is IOException or CifarFormatException or InvalidDataException or ArgumentException)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }
}
