using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace DistTrain.Cluster.Tests.Kubernetes;

/// <summary>Reads YAML documents into untyped trees and walks them with paths that say what is missing.</summary>
internal static class Yaml
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder().Build();

    /// <summary>Every document in <paramref name="file"/>, as maps (empty documents are left out).</summary>
    public static IReadOnlyList<Dictionary<object, object?>> LoadDocuments(string file)
    {
        using var reader = new StringReader(File.ReadAllText(file));
        var parser = new Parser(reader);
        parser.Consume<StreamStart>();
        var documents = new List<Dictionary<object, object?>>();
        while (parser.Accept<DocumentStart>(out _))
        {
            var tree = Deserializer.Deserialize<object?>(parser);
            if (tree is null)
                continue;
            documents.Add(tree as Dictionary<object, object?>
                ?? throw new InvalidDataException($"{file}: a document is not a map but a {tree.GetType().Name}."));
        }

        return documents;
    }

    /// <summary>The value at <paramref name="path"/>, or null where any step is missing.</summary>
    public static object? Find(object? node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not Dictionary<object, object?> map || !map.TryGetValue(key, out node))
                return null;
        }

        return node;
    }

    public static string Text(object? node, params string[] path) =>
        Find(node, path) as string ?? throw new KeyNotFoundException($"No text at {string.Join('.', path)}.");

    public static Dictionary<object, object?> Map(object? node, params string[] path) =>
        Find(node, path) as Dictionary<object, object?> ?? throw new KeyNotFoundException($"No map at {string.Join('.', path)}.");

    /// <summary>The maps in the list at <paramref name="path"/>; none when the list is missing.</summary>
    public static IEnumerable<Dictionary<object, object?>> Maps(object? node, params string[] path) =>
        (Find(node, path) as List<object?> ?? []).OfType<Dictionary<object, object?>>();

    /// <summary>The strings in the list at <paramref name="path"/>; none when the list is missing.</summary>
    public static IReadOnlyList<string> Texts(object? node, params string[] path) =>
        (Find(node, path) as List<object?> ?? []).Select(item => item as string ?? "").ToList();

    /// <summary>A map's entries as text, for comparing labels and selectors.</summary>
    public static IReadOnlyDictionary<string, string> TextMap(object? node, params string[] path) =>
        (Find(node, path) as Dictionary<object, object?> ?? [])
            .ToDictionary(entry => (string)entry.Key, entry => entry.Value as string ?? "");
}
