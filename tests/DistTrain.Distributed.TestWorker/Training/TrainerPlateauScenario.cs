using DistTrain.Distributed.TestWorker.Ddp;
using DistTrain.Training;
using static TorchSharp.torch;

namespace DistTrain.Distributed.TestWorker.Training;

/// <summary>
/// Trainer with TorchSharp's ReduceLROnPlateau (val_loss, factor 0.5, patience 2, any decrease an improvement) for
/// 9 epochs. The val_loss over all ranks follows a script (4, 3, 3.5, 3.2, 3.1, 2, 2.5, 2.4, 2.3): three epochs
/// without improvement after epochs 2 and 6, so the rate halves after epochs 5 and 9. Each rank's own part is
/// skewed (rank 0 improves alone at epoch 3, rank 1 at epoch 4), so a scheduler fed one rank's loss would not
/// halve after epoch 5: only the metric over every rank gives every rank the same rates.
/// </summary>
public sealed class TrainerPlateauScenario : IScenario
{
    private static readonly double[] Script = [4, 3, 3.5, 3.2, 3.1, 2, 2.5, 2.4, 2.3];
    private static readonly double[] Skew = [0, 0, -0.2, 0.1, 0, 0, 0, 0, 0];
    private const double LearningRate = 0.05;

    public string Name => "trainer-plateau";

    public int Run(string[] args)
    {
        using var context = Worker.Init();
        using var setup = new TrainerScenarioSetup(context.ProcessGroup, LearningRate);
        var rank = setup.Rank;
        var (x, y) = DdpModels.Mlp.Batch(700, 4 * setup.World);
        var trainer = new Trainer(setup.Ddp, setup.Optimizer, TrainerScenarioSetup.Mse, new TrainerOptions
        {
            Epochs = Script.Length,
            Scheduler = Plateau(setup.Optimizer),
            SchedulerMonitor = "val_loss",
        });
        var result = trainer.Fit(_ => [[DdpModels.Shard(x, rank, 4), DdpModels.Shard(y, rank, 4)]], epoch => Validation(setup, epoch));

        // The rate each epoch's report gives is the one after the epoch's scheduler step.
        var rates = result.Epochs.Select(e => e.LearningRate).ToArray();
        double[] expected = [0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.025, 0.0125];
        foreach (var e in result.Epochs)
            Check.That(Math.Abs(e.Metrics["val_loss"] - Script[e.Epoch - 1]) <= 1e-4 * Script[e.Epoch - 1], $"epoch {e.Epoch}: val_loss {e.Metrics["val_loss"]}, scripted {Script[e.Epoch - 1]}");
        Check.That(rates.SequenceEqual(expected), $"learning rates {string.Join(", ", rates)}; expected {string.Join(", ", expected)}");
        var alone = RatesFromThisRanksLossAlone(rank);
        Check.That(!alone.SequenceEqual(expected), $"rank {rank}'s own losses give the same rates {string.Join(", ", alone)}: the scenario proves nothing");
        Console.WriteLine($"rank {rank}: learning rate halved after epochs 5 and 9 of {Script.Length} by ReduceLROnPlateau on the val_loss over all ranks");
        return 0;
    }

    private static optim.lr_scheduler.LRScheduler Plateau(optim.Optimizer optimizer) =>
        optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode: "min", factor: 0.5, patience: 2, threshold: 0, threshold_mode: "abs");

    private static double LocalLoss(int rank, int epoch)
    {
        var sign = rank switch { 0 => 1, 1 => -1, _ => 0 };
        return Script[epoch - 1] * (1 + sign * Skew[epoch - 1]);
    }

    // The rates a scheduler fed only this rank's part of the loss would give.
    private static double[] RatesFromThisRanksLossAlone(int rank)
    {
        using var optimizer = optim.SGD([nn.Parameter(zeros(1))], LearningRate);
        var plateau = Plateau(optimizer);
        return Enumerable.Range(1, Script.Length).Select(epoch =>
        {
            plateau.step(LocalLoss(rank, epoch));
            return optimizer.ParamGroups.First().LearningRate;
        }).ToArray();
    }

    // 5 rows whose MSE against the current model's outputs is this rank's skewed share of the scripted loss.
    private static IEnumerable<IList<Tensor>> Validation(TrainerScenarioSetup setup, int epoch)
    {
        var (inputs, _) = DdpModels.Mlp.Batch(900 + setup.Rank, 5);
        using (no_grad())
            yield return [inputs, setup.Model.call(inputs) + Math.Sqrt(LocalLoss(setup.Rank, epoch))];
    }
}
