namespace DistTrain.Examples.Cifar;

/// <summary>How the CIFAR-format examples end on bad data: the reader's message on standard error and exit code 1, no stack trace.</summary>
public static class CifarErrors
{
    /// <summary>Runs <paramref name="run"/>; a missing directory or file, or a malformed one, becomes its message and 1.</summary>
    public static int Report(Action run)
    {
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            run();
            return 0;
        }
        catch (Exception e) when (e is IOException or CifarFormatException or InvalidDataException)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }
}
