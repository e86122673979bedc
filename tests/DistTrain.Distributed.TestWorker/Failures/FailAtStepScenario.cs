using DistTrain.Telemetry;
using static TorchSharp.torch;

namespace DistTrain.Distributed.TestWorker.Failures;

/// <summary>
/// Steps of one all_reduce each until rank <c>args[0]</c> throws at step <c>args[1]</c>; with
/// <c>args[2]</c> = <c>unhandled</c> its exception escapes Main (the runtime's unhandled-exception path
/// records the last words and aborts), with <c>recorded</c> Program's catch records them and returns 1.
/// With <c>args[3]</c> = <c>measured</c> the steps are measured with <see cref="TrainingTelemetry"/> and the
/// message names the last collective (its name and sequence number, as the process group counts them).
/// The other ranks wait in the next all_reduce until the agent stops them.
/// </summary>
public sealed class FailAtStepScenario : IScenario
{
    public string Name => "fail-at-step";

    public int Run(string[] args)
    {
        int failingRank = int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture), failAt = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
        var unhandled = args[2] == "unhandled";
        var measured = args.Length > 3 && args[3] == "measured";
        using var context = Worker.Init();
        using var telemetry = measured ? TrainingTelemetry.Start(context) : null;
        using var value = ones(16);
        for (var step = 0; ; step++)
        {
            if (context.Rank == failingRank && step == failAt)
            {
                var message = $"rank {failingRank} gives up at step {step} on purpose";
                if (measured)
                    message += $" (last collective {context.ProcessGroup.Progress.Name} #{context.ProcessGroup.Progress.Sequence})";
                throw unhandled ? new UnhandledOnPurposeException(message) : new InvalidOperationException(message);
            }

            using var measuring = telemetry?.Step(batchSize: 16);
            context.ProcessGroup.all_reduce(value);
            value.div_(context.WorldSize);
        }
    }
}

/// <summary>The exception the test worker's Main lets escape, so that it dies as a program without a top-level catch does.</summary>
public sealed class UnhandledOnPurposeException(string message) : Exception(message);
