using System.CommandLine;
using DistTrain.Launcher.Agent;
using DistTrain.Launcher.Detection;
using DistTrain.Launcher.Planning;
using DistTrain.Launcher.Settings;
using DistTrain.Launcher.Terminal;

namespace DistTrain.Launcher.Cli;

/// <summary>
/// <c>disttrain run [options] -- &lt;program&gt; [args]</c>: the agent of one node, with torchrun's flags
/// where the idea is the same (<see cref="RunFlags"/>). It parses the settings, plans, and runs the plan.
/// </summary>
public static class RunCommand
{
    /// <summary>Creates the <c>run</c> command.</summary>
    public static Command Create()
    {
        var command = new Command("run", "Runs a training program on this node's workers: joins the job's rendezvous, starts one worker per GPU (or N), supervises and restarts them.");
        var given = FlagOptions.AddTo(command, RunFlags.All);
        var program = new Argument<string[]>("program")
        {
            Description = "After '--': the program and its arguments: a command, a .dll (run with dotnet), or a project directory (built once).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        command.Arguments.Add(program);
        command.SetAction(async (result, _) =>
        {
            // Signals are caught before anything else: one that arrives while planning still stops the agent cleanly.
            using var signals = SignalInbox.Listen();
            var environment = ProcessEnvironment.Snapshot();
            var words = result.GetValue(program) ?? [];
            var (settings, errors) = RunSettingsParser.Parse(given(result), environment, words.FirstOrDefault(), words.Skip(1).ToArray());
            if (settings is null)
            {
                foreach (var error in errors)
                {
                    await Console.Error.WriteLineAsync($"disttrain run: {error}").ConfigureAwait(false);
                }

                await Console.Error.WriteLineAsync("See 'disttrain run --help'.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var showProgress = settings.Progress == ProgressMode.On || (settings.Progress == ProgressMode.Auto && !Console.IsOutputRedirected);
            var view = new ConsoleView(Console.Out, Console.Error, showProgress);
            try
            {
                var plan = await LaunchPlanner.PlanAsync(settings, environment, view.Agent, signals.Stopping).ConfigureAwait(false);
                return await AgentRun.RunAsync(plan, view, signals, environment).ConfigureAwait(false);
            }
            catch (PreflightException ex)
            {
                await Console.Error.WriteLineAsync($"disttrain run: preflight failed, no worker was started:\n  {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Preflight;
            }
            catch (OperationCanceledException) when (signals.StopSignal is { } signal)
            {
                await Console.Error.WriteLineAsync($"disttrain run: stopped by {Signals.Name(signal)} before any worker started.").ConfigureAwait(false);
                return ExitCodes.SignalBase + signal;
            }
        });
        return command;
    }
}
