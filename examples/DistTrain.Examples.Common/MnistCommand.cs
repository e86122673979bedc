using System.CommandLine;
using TorchSharp;

namespace DistTrain.Examples;

/// <summary>The command line both MNIST examples share: --data, --epochs, --batch-size, --lr, --seed, --threads.</summary>
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
        var root = new RootCommand(description) { data, epochs, batch, lr, seed, threads };
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
                Seed = parsed.GetValue(seed), Threads = parsed.GetValue(threads),
            };
            var world = DataParallel.WorldSize();
            var perRank = world > 1 ? $" ({options.BatchSize / world} per rank × {world} ranks)" : "";
            Console.WriteLine($"MNIST from {directory}: {options.TrainCount} training images, the rest held out; batch {options.BatchSize}{perRank}, lr {options.LearningRate}, {options.Threads} thread(s)");
            var reports = MnistTrainer.Train(directory, model, options, r =>
                Console.WriteLine($"epoch {r.Epoch}  loss {r.MeanLoss:F4}  {r.SamplesPerSecond,8:F0} samples/s  held-out accuracy {r.HeldOutAccuracy:P2}"));
            Console.WriteLine($"held-out accuracy: {reports[^1].HeldOutAccuracy:P2}");
            return 0;
        });
        return root.Parse(args).Invoke();
    }
}
