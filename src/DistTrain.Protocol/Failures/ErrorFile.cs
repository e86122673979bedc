using DistTrain.Protocol.V1;
using Google.Protobuf;

namespace DistTrain.Protocol.Failures;

/// <summary>
/// A worker's error file (<c>DISTTRAIN_ERROR_FILE</c>): its last words, the same <see cref="RankFailure"/>
/// it sends the coordinator, as protobuf's JSON mapping (lowerCamelCase names, int64 as strings). The
/// worker writes it when it dies of an exception; the launcher reads it for the run's summary.
/// </summary>
public static class ErrorFile
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true).WithIndentation());
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    /// <summary>
    /// Writes <paramref name="failure"/> to <paramref name="path"/> whole or not at all (a temporary file
    /// beside it, then a rename), creating its folder.
    /// </summary>
    /// <exception cref="IOException">The file or its folder could not be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder is not writable.</exception>
    public static void Write(string path, RankFailure failure)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(failure);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + ".tmp-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        File.WriteAllText(temporary, Formatter.Format(failure) + "\n");
        File.Move(temporary, full, overwrite: true);
    }

    /// <summary>Reads the error file at <paramref name="path"/>; null when there is none (the worker wrote no last words).</summary>
    /// <exception cref="ErrorFileException">The file exists but is not a worker's error file; the message names the file and what is wrong.</exception>
    public static RankFailure? Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ErrorFileException(path, $"The error file {path} could not be read: {e.Message}", e);
        }

        try
        {
            var failure = Parser.Parse<RankFailure>(text);
            if (failure.Identity is null || failure.ExceptionType.Length == 0)
                throw new ErrorFileException(path, $"The error file {path} is not a DistTrain worker's error file: it has no identity or no exceptionType (is DISTTRAIN_ERROR_FILE also used by something else?).");
            return failure;
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ErrorFileException(path, $"The error file {path} is not valid JSON of a RankFailure ({e.Message}); it may have been cut off, or written by something else.", e);
        }
        catch (InvalidJsonException e)
        {
            throw new ErrorFileException(path, $"The error file {path} is not valid JSON ({e.Message}); it may have been cut off, or written by something else.", e);
        }
    }
}

/// <summary>A worker's error file exists but cannot be read as one; the message names the file and what is wrong.</summary>
/// <param name="path">The file.</param>
/// <param name="message">What is wrong.</param>
/// <param name="inner">The cause, or null.</param>
public sealed class ErrorFileException(string path, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The error file.</summary>
    public string Path { get; } = path;
}
