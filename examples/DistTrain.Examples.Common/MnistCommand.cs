using System.CommandLine;
using TorchSharp;

namespace DistTrain.Examples;

/// <summary>The command line both MNIST examples share: --data, --epochs, --batch-size, --lr, --seed, --threads, --checkpoint-every.</summary>
public static class MnistCommand
{
    /// <summary>Parses <paramref name="args"/>, trains <paramref name="model"/> and prints per-epoch progress and the held-out accuracy.</summary>
    /// <returns>The process exit code: 0 on success, 1 when the data is missing.</returns>
    public static int Run(string[] args, string description, Func<torch.nn.Module<torch.Tensor, torch.Tensor>> model, MnistOptions defaults)
    {
        var data = new Option<string?>("--data") { Description = "Directory holding the MNIST IDX files (default: ../shared/data/mnist from the repository root)." };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the 8,000 training images.", DefaultValueFactory = _ => defaults.Epochs };
        var batch = new Option<int>("--batch-size") { Description = "Samples per step.", DefaultValueFactory = _ => defaults.BatchSize };
        var lr = new Option<double>("--lr") { Description = "SGD learning rate (momentum 0.9).", DefaultValueFactory = _ => defaults.LearningRate };
        var seed = new Option<int>("--seed") { Description = "Seeds initialisation and shuffling.", DefaultValueFactory = _ => defaults.Seed };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads per rank.", DefaultValueFactory = _ => defaults.Threads };
        var every = new Option<int>("--checkpoint-every")
        {
            Description = "Steps between checkpoints under `disttrain run --checkpoint-dir DIR` (also at the end and on SIGTERM/SIGUSR1; a rerun resumes).",
            DefaultValueFactory = _ => defaults.CheckpointEvery,
        };
        var root = new RootCommand(description) { data, epochs, batch, lr, seed, threads, every };
        root.SetAction(parsed =>
        {
            string directory;
            try
            {
                directory = ExamplePaths.ResolveMnistDirectory(parsed.GetValue(data));
            }
            catch (IOException e)
            {
                Console.Error.WriteLine(e.Message);
                return 1;
            }
            var options = defaults with
            {
                Epochs = parsed.GetValue(epochs), BatchSize = parsed.GetValue(batch), LearningRate = parsed.GetValue(lr),
                Seed = parsed.GetValue(seed), Threads = parsed.GetValue(threads), CheckpointEvery = parsed.GetValue(every),
            };
            var world = DataParallel.WorldSize();
            var perRank = world > 1 ? $" ({options.BatchSize / world} per rank × {world} ranks)" : "";
            Console.WriteLine($"MNIST from {directory}: {options.TrainCount} training images, the rest held out; batch {options.BatchSize}{perRank}, lr {options.LearningRate}, {options.Threads} thread(s)");
            var reports = MnistTrainer.Train(directory, model, options, r =>
                Console.WriteLine($"epoch {r.Epoch}  loss {r.MeanLoss:F4}  {r.SamplesPerSecond,8:F0} samples/s  held-out accuracy {r.HeldOutAccuracy:P2}"));
            if (reports.Count > 0 && reports[^1] is { Stopped: false } end && end.Epoch == options.Epochs)
                Console.WriteLine($"held-out accuracy: {end.HeldOutAccuracy:P2}");
            else if (DataParallel.IsMaster())
                Console.WriteLine(reports.Count == 0 && options.Epochs > 0 ? "nothing left to train: the latest checkpoint is the end" : "stopped before the end: run the same command again to resume");
            return 0;
        });
        return root.Parse(args).Invoke();
    }
}
