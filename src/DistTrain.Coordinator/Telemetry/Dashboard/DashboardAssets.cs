using System.Collections.Frozen;
using System.Security.Cryptography;

namespace DistTrain.Coordinator.Telemetry.Dashboard;

/// <summary>One file of the dashboard page, as embedded in the coordinator's assembly.</summary>
/// <param name="Name">Its file name (<c>index.html</c>, <c>dashboard.js</c>…).</param>
/// <param name="ContentType">Its media type with charset.</param>
/// <param name="Content">Its bytes.</param>
/// <param name="ETag">A strong entity tag of its content.</param>
public sealed record DashboardAsset(string Name, string ContentType, ReadOnlyMemory<byte> Content, string ETag);

/// <summary>
/// The dashboard's static files (<c>Telemetry/Dashboard/wwwroot</c>), embedded in the assembly at build
/// time: the page needs no CDN, no npm bundle and no network beyond the coordinator.
/// </summary>
public static class DashboardAssets
{
    /// <summary>The prefix of the files' manifest resource names (set by the project file).</summary>
    internal const string ResourcePrefix = "DistTrain.Dashboard.";

    private static readonly Lazy<FrozenDictionary<string, DashboardAsset>> All = new(Load);

    /// <summary>The page itself.</summary>
    public static DashboardAsset Index => Find("index.html")
        ?? throw new InvalidOperationException("The dashboard's index.html is not embedded in the coordinator assembly; rebuild DistTrain.Coordinator.");

    /// <summary>Every embedded file, by name.</summary>
    public static IReadOnlyCollection<DashboardAsset> Files => All.Value.Values;

    /// <summary>The file named <paramref name="name"/>, or null.</summary>
    public static DashboardAsset? Find(string name) => All.Value.GetValueOrDefault(name);

    private static FrozenDictionary<string, DashboardAsset> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var files = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var content = copy.ToArray();
            var name = resource[ResourcePrefix.Length..];
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..16] + "\"";
            files[name] = new DashboardAsset(name, ContentType(name), content, etag);
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
