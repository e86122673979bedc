using DistTrain.Launcher.Cli;

namespace DistTrain.Launcher.Detection;

/// <summary>Works out where the agent runs: SLURM, a Kubernetes Indexed Job, or a machine of its own.</summary>
public static class EnvironmentDetector
{
    /// <summary>
    /// Detects the environment. <c>--standalone</c> ignores the cluster (one node, its own coordinator);
    /// otherwise SLURM wins over Kubernetes, and both over local.
    /// </summary>
    /// <exception cref="PreflightException">The cluster's variables are incomplete or contradict each other.</exception>
    public static async Task<DetectedEnvironment> DetectAsync(
        RunSettings settings, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(environment);
        var hostName = environment.GetValueOrDefault("HOSTNAME") is { Length: > 0 } h ? h : Environment.MachineName;
        if (settings.Standalone)
        {
            return new DetectedEnvironment
            {
                Kind = ClusterKind.Local,
                Description = $"standalone on {hostName}",
                Nnodes = new(1, 1),
                NodeRank = 0,
                HostsCoordinator = true,
                HostName = hostName,
            };
        }

        if (SlurmDetector.Applies(environment))
        {
            return await SlurmDetector.DetectAsync(environment, settings.RdzvEndpoint, cancellationToken).ConfigureAwait(false);
        }

        if (KubernetesDetector.Applies(environment))
        {
            return KubernetesDetector.Detect(environment, settings.RdzvEndpoint);
        }

        return new DetectedEnvironment
        {
            Kind = ClusterKind.Local,
            Description = $"local on {hostName}",
            Endpoint = settings.RdzvEndpoint ?? new Endpoint("127.0.0.1", RunSettings.DefaultPort),
            HostName = hostName,
        };
    }
}
