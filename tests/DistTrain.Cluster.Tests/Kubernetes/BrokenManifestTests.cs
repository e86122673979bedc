namespace DistTrain.Cluster.Tests.Kubernetes;

/// <summary>
/// The checks can fail: each breaks one thing in a copy of k8s/ and expects the check for it to
/// report the problem (and the other checks to stay quiet where the break does not concern them).
/// </summary>
public sealed class BrokenManifestTests
{
    public static TheoryData<string, string, string, string> Breaks => new()
    {
        { "base/workers-service.yaml", "app.kubernetes.io/component: worker", "app.kubernetes.io/component: workers", nameof(Wiring.SelectorProblems) },
        { "base/coordinator-service.yaml", "targetPort: rdzv", "targetPort: rendezvous", nameof(Wiring.PortProblems) },
        { "base/workers-job.yaml", "disttrain-coordinator:29400", "disttrain-coordinator:29500", nameof(Wiring.RendezvousProblems) },
        { "base/workers-job.yaml", "completions: 2", "completions: 3", nameof(Wiring.NodeCountProblems) },
        { "base/workers-job.yaml", "subdomain: disttrain-workers", "subdomain: workers", nameof(Wiring.HeadlessServiceProblems) },
        { "base/workers-job.yaml", "nvidia.com/gpu: 1", "cpu: \"1\"", nameof(Wiring.GpuProblems) },
        { "base/workers-job.yaml", "name: DISTTRAIN_COORDINATOR_MODE", "name: DISTTRAIN_COORDINATOR", nameof(Wiring.EnvironmentProblems) },
        { "base/workers-job.yaml", "- gpu", "- gpus", "launcher" },
        { "base/coordinator-deployment.yaml", "\"--bind\"", "\"--bind-address\"", "launcher" },
        { "base/token-secret.yaml", "  token: ", "  password: ", nameof(Wiring.TokenProblems) },
    };

    [Theory]
    [MemberData(nameof(Breaks))]
    public void A_broken_copy_of_the_manifests_is_reported_by_its_check(string file, string from, string to, string check)
    {
        var copy = Directory.CreateTempSubdirectory("disttrain-k8s-").FullName;
        try
        {
            foreach (var source in ManifestFolders.YamlFiles(ManifestFolders.Root))
            {
                var target = Path.Combine(copy, Path.GetRelativePath(ManifestFolders.Root, source));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(source, target);
            }

            var path = Path.Combine(copy, file);
            var text = File.ReadAllText(path);
            Assert.Contains(from, text);
            File.WriteAllText(path, text.Replace(from, to, StringComparison.Ordinal));

            var wiring = ManifestFolders.Render("base", copy);
            var intact = ManifestFolders.Render("base");
            Assert.Empty(Problems(intact, check));
            Assert.NotEmpty(Problems(wiring, check));
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    /// <summary>What <paramref name="check"/> (a <see cref="Wiring"/> method, or "launcher") finds.</summary>
    private static IReadOnlyList<string> Problems(Wiring wiring, string check)
    {
        if (check == "launcher")
            return LauncherAcceptance.Problems(wiring.Objects);
        var method = typeof(Wiring).GetMethod(check)!;
        object[]? arguments = method.GetParameters().Length == 0 ? null : [LauncherVariables.Recognised];
        return (IReadOnlyList<string>)method.Invoke(wiring, arguments)!;
    }
}
