using DistTrain.Launcher.Settings;
using DistTrain.Launcher.Detection;

namespace DistTrain.Launcher.Tests.Detection;

public sealed class KubernetesDetectorTests
{
    [Fact]
    public void The_completion_index_is_the_node_rank_and_the_job_name_the_run_id()
    {
        var env = new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "3", ["HOSTNAME"] = "mnist-3" };

        var d = KubernetesDetector.Detect(env, new Endpoint("disttrain-coordinator", 29400));

        Assert.StartsWith("Kubernetes Indexed Job mnist, pod index 3", d.Description, StringComparison.Ordinal);
        Assert.Equal(3, d.NodeRank);
        Assert.Equal("mnist", d.RdzvId);
        Assert.False(d.HostsCoordinator);
        Assert.Equal("k8s-00003-mnist-3", d.NodeId);
    }

    [Fact]
    public void Pod_0_hosts_the_coordinator_when_the_endpoint_names_it_through_the_headless_service()
    {
        var env = new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "0", ["HOSTNAME"] = "mnist-0" };

        var d = KubernetesDetector.Detect(env, new Endpoint("mnist-0.mnist-workers", 29400));

        Assert.True(d.HostsCoordinator);
    }

    [Fact]
    public void Other_pods_connect_to_pod_0()
    {
        var env = new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "1", ["HOSTNAME"] = "mnist-1" };

        Assert.False(KubernetesDetector.Detect(env, new Endpoint("mnist-0.mnist-workers", 29400)).HostsCoordinator);
    }

    [Fact]
    public void Without_an_endpoint_the_message_names_both_layouts()
    {
        var env = new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "0", ["HOSTNAME"] = "mnist-0" };

        var ex = Assert.Throws<PreflightException>(() => KubernetesDetector.Detect(env, null));

        Assert.Contains("DISTTRAIN_RDZV_ENDPOINT", ex.Message);
        Assert.Contains("<job>-0.<service>", ex.Message);
    }

    [Fact]
    public async Task SLURM_wins_over_Kubernetes_and_both_over_local()
    {
        var endpoint = new Endpoint("x", 1);
        var both = new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "0", ["SLURM_JOB_ID"] = "1", ["SLURM_PROCID"] = "0", ["SLURM_NTASKS"] = "1", ["SLURM_NNODES"] = "1" };

        Assert.StartsWith("SLURM job 1", (await EnvironmentDetector.DetectAsync(both, endpoint)).Description, StringComparison.Ordinal);
        Assert.StartsWith("Kubernetes Indexed Job", (await EnvironmentDetector.DetectAsync(new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "0" }, endpoint)).Description, StringComparison.Ordinal);
        var local = await EnvironmentDetector.DetectAsync(new Dictionary<string, string>(), endpoint);
        Assert.StartsWith("local on", local.Description, StringComparison.Ordinal);
        Assert.Equal(endpoint, local.Endpoint);
    }
}
