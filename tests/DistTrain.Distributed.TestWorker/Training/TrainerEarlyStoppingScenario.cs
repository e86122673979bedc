using DistTrain.Distributed.TestWorker.Ddp;
using DistTrain.Training;
using static TorchSharp.torch;

namespace DistTrain.Distributed.TestWorker.Training;

/// <summary>
/// Trainer with early stopping on val_loss (min, patience 3) and StepLR halving the learning rate each epoch,
/// for at most 8 epochs. Each epoch's validation targets are the current model's outputs plus an offset, so
/// the val_loss over all ranks follows a script (4, 3, 2, 2.5, 2.2, 2.1, 1, 0.5): best at epoch 3, stop after
/// epoch 6. Each rank's own part of it is skewed so that rank 0 alone would stop after epoch 7 and rank 1
/// alone after epoch 5: only the metric over every rank stops them together at 6.
/// </summary>
public sealed class TrainerEarlyStoppingScenario : IScenario
{
    private static readonly double[] Script = [4, 3, 2, 2.5, 2.2, 2.1, 1, 0.5];
    private static readonly double[] Skew = [0, 0.5, -0.5, -0.7, 0.3, -0.4, 0.2, 0];
    private const double LearningRate = 0.05;

    public string Name => "trainer-early-stopping";

    public int Run(string[] args)
    {
        using var context = Worker.Init();
        using var setup = new TrainerScenarioSetup(context.ProcessGroup, LearningRate);
        var rank = setup.Rank;
        var (x, y) = DdpModels.Mlp.Batch(600, 4 * setup.World);
        var scheduler = optim.lr_scheduler.StepLR(setup.Optimizer, step_size: 1, gamma: 0.5);
        var trainer = new Trainer(setup.Ddp, setup.Optimizer, TrainerScenarioSetup.Mse, new TrainerOptions
        {
            Epochs = Script.Length,
            Scheduler = scheduler,
            EarlyStopping = new EarlyStopping("val_loss", MonitorMode.Min, patience: 3),
        });
        var seen = new List<int>();
        trainer.EpochEnded += e => seen.Add(e.Epoch);
        var result = trainer.Fit(_ => [[DdpModels.Shard(x, rank, 4), DdpModels.Shard(y, rank, 4)]], epoch => Validation(setup, epoch));

        Check.That(result.StoppedEarly && result.Epochs.Count == 6 && seen.SequenceEqual([1, 2, 3, 4, 5, 6]) && result.BestEpoch == 3,
            $"stopped early: {result.StoppedEarly} after epoch {result.Epochs.Count}, best epoch {result.BestEpoch}");
        foreach (var e in result.Epochs)
        {
            var loss = e.Metrics["val_loss"];
            Check.That(Math.Abs(loss - Script[e.Epoch - 1]) <= 1e-4 * Script[e.Epoch - 1], $"epoch {e.Epoch}: val_loss {loss}, scripted {Script[e.Epoch - 1]}");
            var rate = LearningRate * Math.Pow(0.5, e.Epoch);
            Check.That(Math.Abs(e.LearningRate - rate) <= 1e-12, $"epoch {e.Epoch}: learning rate {e.LearningRate}, StepLR gives {rate}");
            Check.That(e.Stop == (e.Epoch == 6), $"epoch {e.Epoch} says stop: {e.Stop}");
        }
        Console.WriteLine($"rank {rank}: early stopping after epoch {result.Epochs.Count} of {Script.Length} (best epoch {result.BestEpoch}); learning rate halved every epoch");
        return 0;
    }

    // 5 rows whose MSE against the current model's outputs is this rank's skewed share of the scripted loss.
    private static IEnumerable<IList<Tensor>> Validation(TrainerScenarioSetup setup, int epoch)
    {
        var sign = setup.Rank switch { 0 => 1, 1 => -1, _ => 0 };
        var local = Script[epoch - 1] * (1 + sign * Skew[epoch - 1]);
        var (inputs, _) = DdpModels.Mlp.Batch(900 + setup.Rank, 5);
        using (no_grad())
            yield return [inputs, setup.Model.call(inputs) + Math.Sqrt(local)];
    }
}
