namespace DistTrain.Cluster.Tests.Kubernetes;

/// <summary>
/// The wiring of every kustomization (base and overlays, rendered with their patches): selectors,
/// ports, the rendezvous endpoint, environment names, node counts, the headless Service, GPUs, the token.
/// </summary>
public sealed class WiringTests
{
    [Theory]
    [MemberData(nameof(ManifestFolders.Variants), MemberType = typeof(ManifestFolders))]
    public void Service_selectors_match_the_pod_labels_of_a_deployment_or_job(string variant) =>
        Assert.Empty(ManifestFolders.Render(variant).SelectorProblems());

    [Theory]
    [MemberData(nameof(ManifestFolders.Variants), MemberType = typeof(ManifestFolders))]
    public void Service_target_ports_are_container_ports_of_the_selected_pods(string variant) =>
        Assert.Empty(ManifestFolders.Render(variant).PortProblems());

    [Theory]
    [MemberData(nameof(ManifestFolders.Variants), MemberType = typeof(ManifestFolders))]
    public void Workers_rdzv_endpoint_is_the_coordinator_service_port_that_reaches_its_listening_port(string variant) =>
        Assert.Empty(ManifestFolders.Render(variant).RendezvousProblems());

    [Theory]
    [MemberData(nameof(ManifestFolders.Variants), MemberType = typeof(ManifestFolders))]
    public void Environment_variables_the_pods_set_are_ones_the_launcher_reads(string variant) =>
        Assert.Empty(ManifestFolders.Render(variant).EnvironmentProblems(LauncherVariables.Recognised));

    [Theory]
    [MemberData(nameof(ManifestFolders.Variants), MemberType = typeof(ManifestFolders))]
    public void Job_is_indexed_and_completions_equal_parallelism_equal_nnodes(string variant) =>
        Assert.Empty(ManifestFolders.Render(variant).NodeCountProblems());

    [Theory]
    [MemberData(nameof(ManifestFolders.Variants), MemberType = typeof(ManifestFolders))]
    public void Workers_restart_in_place_before_their_pod_fails(string variant) =>
        Assert.Empty(ManifestFolders.Render(variant).RestartProblems());

    [Theory]
    [MemberData(nameof(ManifestFolders.Variants), MemberType = typeof(ManifestFolders))]
    public void Job_subdomain_is_a_headless_service_selecting_its_pods(string variant) =>
        Assert.Empty(ManifestFolders.Render(variant).HeadlessServiceProblems());

    [Theory]
    [MemberData(nameof(ManifestFolders.Variants), MemberType = typeof(ManifestFolders))]
    public void Gpu_limits_match_nproc_per_node(string variant) =>
        Assert.Empty(ManifestFolders.Render(variant).GpuProblems());

    [Theory]
    [MemberData(nameof(ManifestFolders.Variants), MemberType = typeof(ManifestFolders))]
    public void Coordinator_probes_are_grpc_health_checks_on_its_port(string variant) =>
        Assert.Empty(ManifestFolders.Render(variant).ProbeProblems(DistTrain.Protocol.V1.Coordinator.Descriptor.FullName));

    [Theory]
    [MemberData(nameof(ManifestFolders.Variants), MemberType = typeof(ManifestFolders))]
    public void Token_comes_from_a_key_the_secret_has(string variant) =>
        Assert.Empty(ManifestFolders.Render(variant).TokenProblems());

    [Theory]
    [MemberData(nameof(ManifestFolders.Variants), MemberType = typeof(ManifestFolders))]
    public void Disttrain_command_lines_and_their_values_are_accepted_by_the_launchers_own_parsers(string variant) =>
        Assert.Empty(LauncherAcceptance.Problems(ManifestFolders.Render(variant).Objects));

    [Fact]
    public void Pod0_overlay_drops_the_coordinator_objects_and_points_the_workers_at_pod_0()
    {
        var wiring = ManifestFolders.Render("overlays/coordinator-in-pod0");
        Assert.Null(wiring.CoordinatorDeployment);
        Assert.DoesNotContain(wiring.Objects, o => o.Name == "disttrain-coordinator");
        Assert.Equal("disttrain-workers-0.disttrain-workers:29400", DisttrainCommandLine.Of(wiring.WorkerJob.Containers.Single())!.Option("--rdzv-endpoint"));
        Assert.NotNull(ManifestFolders.Render("base").CoordinatorDeployment);
    }

    [Fact]
    public void Gpu_overlay_asks_for_gpus_and_cpu_overlay_for_none()
    {
        static string? Gpus(string variant) => Yaml.Find(
            ManifestFolders.Render(variant).WorkerJob.Containers.Single(), "resources", "limits", "nvidia.com/gpu") as string;

        Assert.Equal("4", Gpus("overlays/gpu"));
        Assert.Null(Gpus("overlays/cpu"));
    }
}
