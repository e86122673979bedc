using DistTrain.Distributed.TestWorker.Ddp;
using DistTrain.Training;
using static TorchSharp.torch;

namespace DistTrain.Distributed.TestWorker.Training;

/// <summary>
/// Trainer with MaxGradNorm = 0.05 and SGD, one step on 4 rows per rank: it reports the averaged gradients'
/// norm before clipping (that of one process on every rank's rows) and the weights equal one process's
/// step with the gradients scaled to norm 0.05.
/// </summary>
public sealed class TrainerClippingScenario : IScenario
{
    private const double MaxNorm = 0.05, LearningRate = 0.1;

    public string Name => "trainer-clipping";

    public int Run(string[] args)
    {
        using var context = Worker.Init();
        using var setup = new TrainerScenarioSetup(context.ProcessGroup, LearningRate);
        var (rank, world) = (setup.Rank, setup.World);
        var (x, y) = DdpModels.Mlp.Batch(800, 4 * world);
        var trainer = new Trainer(setup.Ddp, setup.Optimizer, TrainerScenarioSetup.Mse, new TrainerOptions { MaxGradNorm = MaxNorm });
        var reported = double.NaN;
        trainer.StepEnded += s => reported = s.GradNorm;
        trainer.Fit(_ => [[DdpModels.Shard(x, rank, 4), DdpModels.Shard(y, rank, 4)]]);

        TrainerScenarioSetup.Mse(setup.Reference.call(x), y).backward();
        var gradients = setup.Reference.parameters().Select(p => p.grad!).ToArray();
        var norm = Math.Sqrt(gradients.Sum(g => g.pow(2).sum().item<float>()));
        Check.That(norm > MaxNorm, $"the gradient's norm {norm} is small enough that clipping would not act");
        Check.That(Math.Abs(reported - norm) <= 1e-5 * norm, $"the trainer reported a norm of {reported}; one process's gradient has {norm}");
        using (no_grad())
        {
            var scale = MaxNorm / (norm + 1e-6); // as clip_grad_norm_
            foreach (var p in setup.Reference.parameters()) p.sub_(p.grad! * (LearningRate * scale));
        }
        var difference = setup.Difference();
        Check.That(difference <= DdpScenario.Tolerance, $"weights differ from one process's clipped step by {difference}");
        Console.WriteLine($"rank {rank}: gradients of norm {norm:F4} clipped to {MaxNorm} before the step, as one process's");
        return 0;
    }
}
