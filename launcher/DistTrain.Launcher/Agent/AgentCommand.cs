using System.Runtime.InteropServices;
using DistTrain.Coordinator;
using DistTrain.Launcher.Cli;
using DistTrain.Launcher.Detection;
using DistTrain.Launcher.Workers;
using DistTrain.Protocol;

namespace DistTrain.Launcher.Agent;

/// <summary>What <c>disttrain run</c> does once its settings are valid: preflight, coordinator, agent, summary.</summary>
public static class AgentCommand
{
    /// <summary>
    /// Detects the environment, runs the preflight checks, hosts or reaches the coordinator, then runs
    /// the agent until the job ends; prints the summary. Returns the process's exit code (see <see cref="ExitCodes"/>).
    /// </summary>
    public static async Task<int> RunAsync(RunSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var environment = ProcessEnvironment.Snapshot();
        var showProgress = settings.Progress == ProgressMode.On || (settings.Progress == ProgressMode.Auto && !Console.IsOutputRedirected);
        var view = new ConsoleView(Console.Out, Console.Error, showProgress);

        // Signals are caught from the start: one that arrives before the workers exist stops the agent cleanly.
        ElasticAgent? agent = null;
        var early = new List<int>();
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        void OnSignal(PosixSignalContext context, int number)
        {
            context.Cancel = true;
            lock (early)
            {
                if (agent is null)
                {
                    early.Add(number);
                    if (number != NativeMethods.SigUsr1)
                    {
                        stopping.Cancel();
                    }

                    return;
                }
            }

            agent.OnSignal(number);
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => OnSignal(c, NativeMethods.SigInt));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => OnSignal(c, NativeMethods.SigTerm));
        using var sigusr1 = OperatingSystem.IsLinux() ? PosixSignalRegistration.Create((PosixSignal)NativeMethods.SigUsr1, c => OnSignal(c, NativeMethods.SigUsr1)) : null;

        LaunchPlan plan;
        CoordinatorServer? server = null;
        Endpoint coordinator;
        try
        {
            var detected = await EnvironmentDetector.DetectAsync(settings, environment, stopping.Token).ConfigureAwait(false);
            view.Agent($"{detected.Description}.");
            var gpus = GpuInventory.Probe(environment);
            var program = await WorkerProgram.ResolveAsync(settings.Program, settings.ProgramArgs, environment, view.Agent, stopping.Token).ConfigureAwait(false);
            plan = LaunchPlanner.Plan(settings, detected, gpus, program, Environment.ProcessorCount);
            CheckLogDirectory(settings.LogDir);
            (server, coordinator) = await CoordinatorHost.StartOrReachAsync(plan, view.Agent, stopping.Token).ConfigureAwait(false);
        }
        catch (PreflightException ex)
        {
            await Console.Error.WriteLineAsync($"disttrain run: preflight failed, no worker was started:\n  {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Preflight;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            int signal;
            lock (early)
            {
                signal = early.Count > 0 ? early[0] : NativeMethods.SigTerm;
            }

            await Console.Error.WriteLineAsync($"disttrain run: stopped by {NativeMethods.SignalName(signal)} before any worker started.").ConfigureAwait(false);
            return ExitCodes.SignalBase + signal;
        }

        try
        {
            using var client = new CoordinatorClient(coordinator.ToUri(), plan.Token);
            agent = new ElasticAgent(plan, client, coordinator, view, environment);
            lock (early)
            {
                foreach (var number in early)
                {
                    agent.OnSignal(number);
                }
            }

            var summary = await agent.RunAsync(cancellationToken).ConfigureAwait(false);
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

    private static void CheckLogDirectory(string? logDir)
    {
        if (logDir is null)
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(logDir);
            var probe = Path.Combine(logDir, $".disttrain-write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PreflightException($"--log-dir ('{logDir}') is not writable ({ex.Message}); choose another directory.");
        }
    }
}
