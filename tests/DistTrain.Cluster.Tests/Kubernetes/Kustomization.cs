namespace DistTrain.Cluster.Tests.Kubernetes;

/// <summary>
/// A kustomization.yaml and what it builds: its resources (files, or folders holding another
/// kustomization) with its strategic-merge patches applied (a patch whose root says <c>$patch: delete</c>
/// removes its target). Enough of kustomize for these manifests;
/// anything else it declares (images, labels) does not change the wiring the tests check.
/// </summary>
internal sealed class Kustomization
{
    private Kustomization(string directory, IReadOnlyList<string> resources, IReadOnlyList<string> patches)
    {
        Directory = directory;
        Resources = resources;
        Patches = patches;
    }

    /// <summary>The folder holding kustomization.yaml.</summary>
    public string Directory { get; }

    /// <summary>The <c>resources</c> entries, as written.</summary>
    public IReadOnlyList<string> Resources { get; }

    /// <summary>The patch files (<c>patches[].path</c> and <c>patchesStrategicMerge</c>), as written.</summary>
    public IReadOnlyList<string> Patches { get; }

    /// <summary>Reads <c>kustomization.yaml</c> in <paramref name="directory"/>.</summary>
    public static Kustomization Load(string directory)
    {
        var file = Path.Combine(directory, "kustomization.yaml");
        var root = Yaml.LoadDocuments(file).Single();
        var patches = Yaml.Maps(root, "patches").Select(p => Yaml.Text(p, "path"))
            .Concat(Yaml.Texts(root, "patchesStrategicMerge"))
            .ToList();
        return new Kustomization(directory, Yaml.Texts(root, "resources"), patches);
    }

    /// <summary>The objects this kustomization renders, patched.</summary>
    public IReadOnlyList<Manifest> Build()
    {
        var objects = new List<Manifest>();
        foreach (var resource in Resources)
        {
            var path = Path.GetFullPath(Path.Combine(Directory, resource));
            if (System.IO.Directory.Exists(path))
                objects.AddRange(Load(path).Build());
            else
                objects.AddRange(Yaml.LoadDocuments(path).Select(doc => new Manifest(path, doc)));
        }

        foreach (var patchFile in Patches)
        {
            foreach (var patch in Yaml.LoadDocuments(Path.Combine(Directory, patchFile)))
            {
                var target = new Manifest(patchFile, patch);
                var index = objects.FindIndex(o => o.Kind == target.Kind && o.Name == target.Name);
                if (index < 0)
                    throw new InvalidDataException($"{patchFile} patches {target.Kind}/{target.Name}, which {Directory} does not have.");
                if (Equals(patch.GetValueOrDefault("$patch"), "delete"))
                    objects.RemoveAt(index);
                else
                    StrategicMerge.Apply(objects[index].Root, patch);
            }
        }

        return objects;
    }
}
