using DistTrain.Launcher.Settings;

namespace DistTrain.Launcher.Detection;

/// <summary>Works out where the agent runs: SLURM, a Kubernetes Indexed Job, or a machine of its own.</summary>
public static class EnvironmentDetector
{
    /// <summary>Detects the environment: SLURM wins over Kubernetes, and both over local.</summary>
    /// <param name="environment">The agent's environment.</param>
    /// <param name="endpoint">An explicit <c>--rdzv-endpoint</c>, or null.</param>
    /// <param name="cancellationToken">Cancels expanding SLURM's node list.</param>
    /// <exception cref="PreflightException">The cluster's variables are incomplete or contradict each other.</exception>
    public static async Task<DetectedEnvironment> DetectAsync(
        IReadOnlyDictionary<string, string> environment, Endpoint? endpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (SlurmDetector.Applies(environment))
        {
            return await SlurmDetector.DetectAsync(environment, endpoint, cancellationToken).ConfigureAwait(false);
        }

        if (KubernetesDetector.Applies(environment))
        {
            return KubernetesDetector.Detect(environment, endpoint);
        }

        var hostName = HostName(environment);
        return new DetectedEnvironment
        {
            Description = $"local on {hostName}",
            Endpoint = endpoint ?? new Endpoint("127.0.0.1", Endpoint.DefaultPort),
            HostName = hostName,
        };
    }

    /// <summary>This machine's name: <c>HOSTNAME</c> when set (a pod's name), else the kernel's.</summary>
    public static string HostName(IReadOnlyDictionary<string, string> environment) =>
        environment.GetValueOrDefault("HOSTNAME") is { Length: > 0 } h ? h : Environment.MachineName;
}
