namespace DistTrain.Torch.Serialization;

/// <summary>A safetensors file that is malformed: the message says what is wrong, where, and what to do.</summary>
public sealed class SafeTensorsFormatException : Exception
{
    /// <summary>Creates the exception for the file at <paramref name="path"/>.</summary>
    public SafeTensorsFormatException(string path, string problem, Exception? inner = null)
        : base($"'{path}' is not a valid safetensors file: {problem}", inner)
    {
        Path = path;
    }

    /// <summary>The file that failed to load.</summary>
    public string Path { get; }
}
