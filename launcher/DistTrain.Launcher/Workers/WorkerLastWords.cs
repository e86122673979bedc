using DistTrain.Protocol.Failures;
using DistTrain.Protocol.V1;

namespace DistTrain.Launcher.Workers;

/// <summary>A failed worker's error file (<c>DISTTRAIN_ERROR_FILE</c>), as the agent found it after the exit.</summary>
/// <param name="Path">The file the worker was told to write.</param>
/// <param name="Failure">Its last words, or null when it wrote none (killed by a signal, or it died before it could).</param>
/// <param name="Problem">Why the file could not be read, or null.</param>
public sealed record WorkerLastWords(string Path, RankFailure? Failure, string? Problem)
{
    /// <summary>Reads the error file at <paramref name="path"/>; a missing file is no last words, a broken one says why.</summary>
    public static WorkerLastWords Read(string path)
    {
        try
        {
            return new WorkerLastWords(path, ErrorFile.Read(path), null);
        }
        catch (ErrorFileException e)
        {
            return new WorkerLastWords(path, null, e.Message);
        }
    }
}
