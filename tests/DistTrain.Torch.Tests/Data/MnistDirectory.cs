namespace DistTrain.Torch.Tests.Data;

/// <summary>Finds ../shared/data/mnist relative to the repository root (the directory holding DistTrain.sln).</summary>
internal static class MnistDirectory
{
    public static string Path
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "DistTrain.sln")))
                    return System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared", "data", "mnist"));
            throw new InvalidOperationException($"No DistTrain.sln above {AppContext.BaseDirectory}.");
        }
    }
}
