namespace DistTrain.Cluster.Tests.Kubernetes;

/// <summary>
/// One Kubernetes object as parsed from YAML: maps are <c>Dictionary&lt;object, object?&gt;</c>, lists
/// <c>List&lt;object?&gt;</c>, scalars strings (YamlDotNet's untyped form).
/// </summary>
internal sealed record Manifest(string File, Dictionary<object, object?> Root)
{
    public string Kind => Yaml.Text(Root, "kind");

    public string Name => Yaml.Text(Root, "metadata", "name");

    /// <summary>The pod template's spec of a Deployment or Job.</summary>
    public Dictionary<object, object?> PodSpec => Yaml.Map(Root, "spec", "template", "spec");

    /// <summary>The pod template's labels of a Deployment or Job.</summary>
    public Dictionary<object, object?> PodLabels => Yaml.Map(Root, "spec", "template", "metadata", "labels");

    /// <summary>The pod template's containers.</summary>
    public IEnumerable<Dictionary<object, object?>> Containers => Yaml.Maps(PodSpec, "containers");

    public override string ToString() => $"{Kind}/{Name} ({Path.GetFileName(File)})";
}
