namespace DistTrain.Launcher.Workers;

/// <summary>The command each worker runs: an executable and its arguments.</summary>
/// <param name="FileName">The executable (a full path when it was found on PATH).</param>
/// <param name="Arguments">Its arguments.</param>
/// <param name="Display">How the program was named, for messages.</param>
public sealed record WorkerProgram(string FileName, IReadOnlyList<string> Arguments, string Display);
