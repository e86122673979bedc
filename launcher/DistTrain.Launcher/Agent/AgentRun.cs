using DistTrain.Coordinator;
using DistTrain.Launcher.Detection;
using DistTrain.Launcher.Planning;
using DistTrain.Launcher.Terminal;
using DistTrain.Protocol;

namespace DistTrain.Launcher.Agent;

/// <summary>Runs a plan: hosts or reaches the coordinator, runs the agent until the job ends, prints the summary.</summary>
public static class AgentRun
{
    /// <summary>Returns the process's exit code (see <see cref="ExitCodes"/>).</summary>
    /// <exception cref="PreflightException">The coordinator can neither be hosted nor reached.</exception>
    /// <exception cref="OperationCanceledException">SIGINT or SIGTERM arrived before the agent started.</exception>
    /// <param name="plan">What to run.</param>
    /// <param name="view">The console.</param>
    /// <param name="signals">The signals the process receives.</param>
    /// <param name="environment">The agent's environment (workers inherit it).</param>
    public static async Task<int> RunAsync(LaunchPlan plan, ConsoleView view, SignalInbox signals, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(signals);
        CoordinatorServer? server;
        (server, plan) = await CoordinatorHost.StartOrReachAsync(plan, view.Agent, signals.Stopping).ConfigureAwait(false);
        try
        {
            using var client = new CoordinatorClient(plan.Coordinator.ToUri(), plan.Token);
            var agent = new ElasticAgent(plan, client, view, signals, environment);
            var summary = await agent.RunAsync().ConfigureAwait(false);
            view.Plain(summary.Format());
            return summary.ExitCode;
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
