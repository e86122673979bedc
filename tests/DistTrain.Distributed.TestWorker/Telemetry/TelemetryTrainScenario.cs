using System.Globalization;
using DistTrain.Distributed.TestWorker.Ddp;
using DistTrain.Parallel;
using DistTrain.Telemetry;
using static TorchSharp.torch;

namespace DistTrain.Distributed.TestWorker.Telemetry;

/// <summary>
/// telemetry-train OUT STEPS STEP_DELAY_MS: a small MLP trained with DDP for STEPS steps of 16 samples per
/// rank, measured with <see cref="TrainingTelemetry"/> (forward and backward marked, loss and learning rate
/// set), sleeping STEP_DELAY_MS after each step so that a test can act mid-run. Each rank writes its
/// process id to OUT/pid-rank-R.txt before the first step.
/// </summary>
public sealed class TelemetryTrainScenario : IScenario
{
    public string Name => "telemetry-train";

    public int Run(string[] args)
    {
        Check.That(args.Length == 3, "usage: telemetry-train OUT STEPS STEP_DELAY_MS");
        var c = CultureInfo.InvariantCulture;
        var (outDir, steps, delay) = (args[0], long.Parse(args[1], c), int.Parse(args[2], c));
        using var context = Worker.Init();
        using var telemetry = TrainingTelemetry.Start(context);
        manual_seed(3 + context.Rank);
        using var x = randn(16, 8);
        using var y = randn(16, 4);
        using var model = DdpModels.Mlp.Build(100);
        using var ddp = new DistributedDataParallel(model, context.ProcessGroup);
        using var optimizer = optim.SGD(ddp.parameters(), 0.01);
        File.WriteAllText(Path.Combine(outDir, $"pid-rank-{context.Rank}.txt"), Environment.ProcessId.ToString(c));
        for (var i = 0; i < steps; i++)
        {
            using (var step = telemetry.Step(batchSize: 16))
            using (NewDisposeScope())
            {
                optimizer.zero_grad();
                var loss = nn.functional.mse_loss(ddp.call(x), y);
                step.ForwardDone();
                loss.backward();
                step.BackwardDone();
                optimizer.step();
                (step.Loss, step.LearningRate) = (loss.item<float>(), 0.01);
            }

            Thread.Sleep(delay);
        }

        return 0;
    }
}
