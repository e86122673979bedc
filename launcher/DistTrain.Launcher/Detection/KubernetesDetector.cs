using System.Globalization;
using DistTrain.Launcher.Settings;

namespace DistTrain.Launcher.Detection;

/// <summary>
/// Reads a pod of a Kubernetes Indexed Job: the node rank is <c>JOB_COMPLETION_INDEX</c>; the
/// coordinator is either its own Deployment behind a Service, or pod 0 reached through the headless
/// Service (<c>&lt;job&gt;-0.&lt;service&gt;</c>), in which case the pod whose host name is the
/// endpoint's first label hosts it.
/// </summary>
public static class KubernetesDetector
{
    /// <summary>Whether the environment is a pod of an Indexed Job (<c>JOB_COMPLETION_INDEX</c> set).</summary>
    public static bool Applies(IReadOnlyDictionary<string, string> environment) => environment.ContainsKey("JOB_COMPLETION_INDEX");

    /// <summary>Reads the pod's place in the job.</summary>
    /// <param name="environment">The pod's environment.</param>
    /// <param name="endpoint">The coordinator (<c>--rdzv-endpoint</c>); required here, since no variable names it.</param>
    /// <exception cref="PreflightException">The index is malformed or the endpoint is missing.</exception>
    public static DetectedEnvironment Detect(IReadOnlyDictionary<string, string> environment, Endpoint? endpoint)
    {
        var indexText = environment["JOB_COMPLETION_INDEX"];
        if (!int.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            throw new PreflightException($"JOB_COMPLETION_INDEX ('{indexText}') must be a non-negative integer (the Job must have completionMode: Indexed).");
        }

        if (endpoint is not { } coordinator)
        {
            throw new PreflightException(
                $"In a Kubernetes Indexed Job the coordinator must be named: set {RunFlags.RdzvEndpoint.Variable} to the coordinator Service " +
                "(disttrain-coordinator:29400) or to pod 0 through the headless Service (<job>-0.<service>:29400).");
        }

        var hostName = EnvironmentDetector.HostName(environment);
        var suffix = string.Create(CultureInfo.InvariantCulture, $"-{index}");
        var jobName = hostName.EndsWith(suffix, StringComparison.Ordinal) ? hostName[..^suffix.Length] : null;
        var firstLabel = coordinator.Host.Split('.')[0];
        var hosts = string.Equals(firstLabel, hostName, StringComparison.OrdinalIgnoreCase);
        return new DetectedEnvironment
        {
            Description = $"Kubernetes Indexed Job {jobName ?? "?"}, pod index {index} ({hostName}){(hosts ? ", hosting the coordinator" : "")}",
            NodeRank = index,
            Endpoint = coordinator,
            HostsCoordinator = hosts,
            RdzvId = jobName,
            NodeId = string.Create(CultureInfo.InvariantCulture, $"k8s-{index:D5}-{hostName}"),
            HostName = hostName,
        };
    }
}
