using System.Text.RegularExpressions;
using DistTrain.Tests.Shared;

namespace DistTrain.Launcher.Tests.Layout;

/// <summary>The launcher's folders are layers that depend one way, top to bottom, as its README says.</summary>
public sealed partial class LayerTests
{
    /// <summary>Each folder may use only the folders after it.</summary>
    private static readonly string[] Layers = ["Cli", "Agent", "Planning", "Detection", "Settings", "Workers", "Terminal"];

    [Fact]
    public void Every_folder_uses_only_the_layers_below_it()
    {
        var root = RepoPaths.Of("launcher/DistTrain.Launcher");
        var folders = Directory.GetDirectories(root).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).Order().ToArray();
        Assert.Equal(Layers.Order(), folders);

        var upward = new List<string>();
        foreach (var (layer, index) in Layers.Select((l, i) => (l, i)))
        {
            foreach (var file in Directory.GetFiles(Path.Combine(root, layer), "*.cs", SearchOption.AllDirectories))
            {
                var text = File.ReadAllText(file);
                foreach (Match used in LauncherNamespace().Matches(text))
                {
                    var target = Array.IndexOf(Layers, used.Groups[1].Value);
                    if (target >= 0 && target < index)
                        upward.Add($"{Path.GetRelativePath(root, file)} ({layer}) uses {used.Groups[1].Value}, a layer above it");
                }
            }
        }

        Assert.True(upward.Count == 0, string.Join('\n', upward));
    }

    [Fact]
    public void The_launchers_README_states_the_same_order()
    {
        var readme = File.ReadAllText(RepoPaths.Of("launcher/README.md"));

        Assert.Contains(string.Join(" → ", Layers), readme);
    }

    [GeneratedRegex(@"\bDistTrain\.Launcher\.(\w+)\b")]
    private static partial Regex LauncherNamespace();
}
