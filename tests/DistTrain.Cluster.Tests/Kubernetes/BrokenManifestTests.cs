namespace DistTrain.Cluster.Tests.Kubernetes;

/// <summary>
/// The checks can fail: each breaks one thing in a copy of k8s/ and expects the check for it to
/// report the problem (and the other checks to stay quiet where the break does not concern them).
/// </summary>
public sealed class BrokenManifestTests
{
    public static TheoryData<string, string, string, string, string> Breaks => new()
    {
        { "base", "base/workers-service.yaml", "app.kubernetes.io/component: worker", "app.kubernetes.io/component: workers", nameof(Wiring.SelectorProblems) },
        { "base", "base/coordinator-service.yaml", "targetPort: rdzv", "targetPort: rendezvous", nameof(Wiring.PortProblems) },
        { "base", "base/workers-job.yaml", "disttrain-coordinator:29400", "disttrain-coordinator:29500", nameof(Wiring.RendezvousProblems) },
        { "base", "base/workers-job.yaml", "completions: 2", "completions: 3", nameof(Wiring.NodeCountProblems) },
        { "base", "base/workers-job.yaml", "subdomain: disttrain-workers", "subdomain: workers", nameof(Wiring.HeadlessServiceProblems) },
        { "base", "base/workers-job.yaml", "nvidia.com/gpu: 1", "cpu: \"1\"", nameof(Wiring.GpuProblems) },
        { "base", "base/workers-job.yaml", "name: DISTTRAIN_COORDINATOR_MODE", "name: DISTTRAIN_COORDINATOR", nameof(Wiring.EnvironmentProblems) },
        { "base", "base/workers-job.yaml", "- gpu", "- gpus", "launcher" },
        { "base", "base/coordinator-deployment.yaml", "\"--bind\"", "\"--bind-address\"", "launcher" },
        { "base", "base/token-secret.yaml", "  token: ", "  password: ", nameof(Wiring.TokenProblems) },
        { "base", "base/coordinator-deployment.yaml", "service: disttrain.v1.Coordinator", "service: disttrain.v1.Coordinatr", nameof(Wiring.ProbeProblems) },
        { "base", "base/coordinator-deployment.yaml", "port: 29400\n              service:", "port: 29500\n              service:", nameof(Wiring.ProbeProblems) },
        { "base", "base/coordinator-deployment.yaml", "livenessProbe:\n            grpc:\n              port: 29400", "livenessProbe:\n            tcpSocket:\n              port: 29400", nameof(Wiring.ProbeProblems) },
        // Pod 0 hosts the coordinator: the endpoint must name a pod the Job has, on a port it declares, and no pod may refuse to host.
        { Pod0, $"{Pod0}/workers-pod0.yaml", "disttrain-workers-0.disttrain-workers", "disttrain-workers-2.disttrain-workers", nameof(Wiring.RendezvousProblems) },
        { Pod0, $"{Pod0}/workers-pod0.yaml", "containerPort: 29400", "containerPort: 29500", nameof(Wiring.RendezvousProblems) },
        { Pod0, $"{Pod0}/workers-pod0.yaml", "value: auto", "value: connect", nameof(Wiring.RendezvousProblems) },
        { Pod0, "base/workers-job.yaml", "value: \"2\"", "value: \"3\"", nameof(Wiring.NodeCountProblems) },
        { "overlays/cpu", "base/workers-job.yaml", "value: \"2\"", "value: \"1:4\"", nameof(Wiring.NodeCountProblems) },
        { "base", "base/workers-job.yaml", "value: \"3\"", "value: \"0\"", nameof(Wiring.RestartProblems) },
    };

    private const string Pod0 = "overlays/coordinator-in-pod0";

    [Theory]
    [MemberData(nameof(Breaks))]
    public void A_broken_copy_of_the_manifests_is_reported_by_its_check(string variant, string file, string from, string to, string check)
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

            var wiring = ManifestFolders.Render(variant, copy);
            var intact = ManifestFolders.Render(variant);
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
        object[]? arguments = method.GetParameters() switch
        {
            [] => null,
            [{ ParameterType: var type }] when type == typeof(string) => [DistTrain.Protocol.V1.Coordinator.Descriptor.FullName],
            _ => [LauncherVariables.Recognised],
        };
        return (IReadOnlyList<string>)method.Invoke(wiring, arguments)!;
    }
}
