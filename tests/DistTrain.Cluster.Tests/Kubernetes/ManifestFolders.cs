using DistTrain.Cluster.Tests.Support;
using DistTrain.Tests.Shared;

namespace DistTrain.Cluster.Tests.Kubernetes;

/// <summary>The k8s/ folder of the checkout: its YAML files and its kustomizations (base and overlays).</summary>
internal static class ManifestFolders
{
    public static string Root => RepoPaths.Of("k8s");

    /// <summary>Every .yaml/.yml file under <paramref name="root"/>.</summary>
    public static IEnumerable<string> YamlFiles(string root) =>
        Directory.EnumerateFiles(root, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Order();

    /// <summary>Every folder under <paramref name="root"/> holding a kustomization.yaml, relative to it.</summary>
    public static IEnumerable<string> Kustomizations(string root) =>
        Directory.EnumerateFiles(root, "kustomization.yaml", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, Path.GetDirectoryName(f)!))
            .Order();

    /// <summary>xunit data: one row per kustomization of the checkout.</summary>
    public static TheoryData<string> Variants => new(Kustomizations(Root));

    /// <summary>The objects the kustomization in <paramref name="variant"/> renders.</summary>
    public static Wiring Render(string variant, string? root = null) =>
        new(Kustomization.Load(Path.Combine(root ?? Root, variant)).Build());
}
