namespace DistTrain.Tests.Shared;

/// <summary>Paths inside the checkout the tests run from (found by walking up to DistTrain.sln).</summary>
internal static class RepoPaths
{
    /// <summary>The checkout's root folder.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A path relative to the root, with forward slashes.</summary>
    public static string Of(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DistTrain.sln")))
                return dir.FullName;
        }

        throw new InvalidOperationException($"No DistTrain.sln above {AppContext.BaseDirectory}.");
    }
}
