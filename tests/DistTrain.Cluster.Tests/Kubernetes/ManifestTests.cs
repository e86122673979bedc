namespace DistTrain.Cluster.Tests.Kubernetes;

/// <summary>Every file under k8s/ parses, and every kustomization names exactly the files beside it.</summary>
public sealed class ManifestTests
{
    [Fact]
    public void Every_yaml_document_under_k8s_parses_and_says_what_it_is()
    {
        var files = ManifestFolders.YamlFiles(ManifestFolders.Root).ToList();
        Assert.NotEmpty(files);
        var documents = 0;
        foreach (var file in files)
        {
            var parsed = Yaml.LoadDocuments(file);
            Assert.True(parsed.Count > 0, $"{file} holds no document.");
            foreach (var document in parsed)
            {
                documents++;
                Assert.True(Yaml.Find(document, "apiVersion") is string, $"{file}: a document has no apiVersion.");
                var kind = Yaml.Find(document, "kind") as string;
                Assert.True(kind is not null, $"{file}: a document has no kind.");
                if (kind != "Kustomization")
                    Assert.True(Yaml.Find(document, "metadata", "name") is string, $"{file}: a {kind} has no metadata.name.");
            }
        }

        Assert.True(documents >= files.Count);
    }

    [Theory]
    [MemberData(nameof(ManifestFolders.Variants), MemberType = typeof(ManifestFolders))]
    public void Kustomization_lists_every_manifest_beside_it_and_each_listed_path_exists(string variant)
    {
        var kustomization = Kustomization.Load(Path.Combine(ManifestFolders.Root, variant));
        var listed = kustomization.Resources.Concat(kustomization.Patches).ToList();
        foreach (var path in listed)
        {
            var full = Path.Combine(kustomization.Directory, path);
            Assert.True(File.Exists(full) || File.Exists(Path.Combine(full, "kustomization.yaml")), $"{variant}/kustomization.yaml lists {path}, which does not exist.");
        }

        var beside = Directory.EnumerateFiles(kustomization.Directory, "*.yaml")
            .Select(Path.GetFileName)
            .Where(name => name != "kustomization.yaml");
        Assert.All(beside, name => Assert.True(listed.Contains(name!), $"{variant}/{name} is not listed in its kustomization.yaml."));
        Assert.NotEmpty(kustomization.Build());
    }
}
