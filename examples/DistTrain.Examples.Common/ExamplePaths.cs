namespace DistTrain.Examples;

/// <summary>Where the examples find their data.</summary>
public static class ExamplePaths
{
    /// <summary>
    /// The default MNIST directory: ../shared/data/mnist relative to the repository root, found by walking up from
    /// the program's directory to the one holding DistTrain.sln; null when no such root is found.
    /// </summary>
    public static string? DefaultMnistDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "DistTrain.sln")))
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "mnist"));
        return null;
    }

    /// <summary>
    /// <paramref name="given"/> or the default MNIST directory, checked to exist.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">With a message saying what to pass.</exception>
    public static string ResolveMnistDirectory(string? given)
    {
        var dir = given ?? DefaultMnistDirectory()
            ?? throw new DirectoryNotFoundException("No --data DIR was given and no repository root (DistTrain.sln) was found above the program to locate ../shared/data/mnist.");
        if (!Directory.Exists(dir))
            throw new DirectoryNotFoundException($"The MNIST directory '{dir}' does not exist. Pass --data DIR pointing at t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz.");
        return dir;
    }
}
