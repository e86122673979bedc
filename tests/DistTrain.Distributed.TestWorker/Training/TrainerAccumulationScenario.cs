using DistTrain.Distributed.TestWorker.Ddp;
using DistTrain.Training;
using static TorchSharp.torch;

namespace DistTrain.Distributed.TestWorker.Training;

/// <summary>
/// Trainer with AccumulationSteps = 3 over 7 micro-batches of 2 rows per rank: steps of 3, 3 and 1
/// micro-batches, all but each step's last under no_sync (the epoch's last synced although it ends no full group), equal to one process stepping SGD on
/// each step's rows of every rank at once (the last step's loss scaled by 1/3, as documented); a StepLR
/// stepped per optimizer step halves the learning rate between steps.
/// </summary>
public sealed class TrainerAccumulationScenario : IScenario
{
    private const int K = 3, MicroBatches = 7;
    private const long Rows = 2;

    public string Name => "trainer-accumulation";

    public int Run(string[] args)
    {
        using var context = Worker.Init();
        using var setup = new TrainerScenarioSetup(context.ProcessGroup, learningRate: 0.1);
        var (rank, world) = (setup.Rank, setup.World);
        var (x, y) = DdpModels.Mlp.Batch(700, MicroBatches * world * Rows);
        var trainer = new Trainer(setup.Ddp, setup.Optimizer, TrainerScenarioSetup.Mse, new TrainerOptions
        {
            AccumulationSteps = K,
            Scheduler = optim.lr_scheduler.StepLR(setup.Optimizer, step_size: 1, gamma: 0.5),
            SchedulerInterval = SchedulerInterval.Step,
        });
        var synced = new List<bool>(); // per forward: whether its backward reduces (outside no_sync)
        _ = setup.Ddp.register_forward_pre_hook((_, input) =>
        {
            synced.Add(setup.Ddp.SyncEnabled);
            return input;
        });
        var (groups, rates) = (new List<int>(), new List<double>());
        trainer.StepEnded += s =>
        {
            groups.Add(s.MicroBatches);
            rates.Add(s.LearningRate);
        };
        // Micro-batch j of rank r: block j · world + r.
        var result = trainer.Fit(_ => Enumerable.Range(0, MicroBatches).Select(j => (IList<Tensor>)new[] { DdpModels.Shard(x, j * world + rank, Rows), DdpModels.Shard(y, j * world + rank, Rows) }));
        Check.That(groups.SequenceEqual([3, 3, 1]) && result.Steps == 3, $"steps of [{string.Join(", ", groups)}] micro-batches");
        Check.That(synced.SequenceEqual([false, false, true, false, false, true, true]), $"forwards synced: [{string.Join(", ", synced)}]");
        Check.That(rates.SequenceEqual([0.1, 0.05, 0.025]), $"learning rates [{string.Join(", ", rates)}] of the steps");

        for (var first = 0; first < MicroBatches; first += K)
        {
            var count = Math.Min(K, MicroBatches - first);
            using var scope = NewDisposeScope();
            setup.ReferenceOptimizer.zero_grad();
            foreach (var g in setup.ReferenceOptimizer.ParamGroups) g.LearningRate = rates[first / K];
            var rows = count * world * Rows;
            (TrainerScenarioSetup.Mse(setup.Reference.call(x.narrow(0, first * world * Rows, rows)), y.narrow(0, first * world * Rows, rows)) * count / K).backward();
            setup.ReferenceOptimizer.step();
        }
        var difference = setup.Difference();
        Check.That(difference <= DdpScenario.Tolerance, $"weights differ from one process's by {difference}");
        Console.WriteLine($"rank {rank}: accumulation over 3 micro-batches (steps of 3, 3, 1) equals one process's steps on the 3-times batch, learning rate halved each step (difference {difference:E1})");
        return 0;
    }
}
