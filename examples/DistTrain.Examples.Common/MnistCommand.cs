using System.CommandLine;
using TorchSharp;

namespace DistTrain.Examples;

/// <summary>The command line both MNIST examples share: --data and the <see cref="TrainingCommandLine"/> options.</summary>
public static class MnistCommand
{
    /// <summary>Parses <paramref name="args"/>, trains <paramref name="model"/> and prints per-epoch progress and the held-out accuracy.</summary>
    /// <returns>The process exit code: 0 on success, 1 when the data is missing.</returns>
    public static int Run(string[] args, string description, Func<torch.nn.Module<torch.Tensor, torch.Tensor>> model, MnistOptions defaults)
    {
        var data = new Option<string?>("--data") { Description = "Directory holding the MNIST IDX files (default: ../shared/data/mnist from the repository root)." };
        var loop = new TrainingCommandLine(defaults.Loop, defaults.LearningRate, $"the {defaults.TrainCount:N0} training images", $"SGD (momentum {defaults.Momentum})");
        var root = new RootCommand(description) { data };
        loop.AddTo(root);
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
            var read = loop.Read(parsed);
            var options = defaults with
            {
                Epochs = read.Epochs, BatchSize = read.BatchSize, LearningRate = loop.LearningRate(parsed),
                Seed = read.Seed, Threads = read.Threads, CheckpointEvery = read.CheckpointEvery,
            };
            Console.WriteLine($"MNIST from {directory}: {options.TrainCount} training images, the rest held out; {TrainingCommandLine.Describe(read, options.LearningRate)}");
            var reports = MnistTrainer.Train(directory, model, options, TrainingCommandLine.PrintEpoch);
            TrainingCommandLine.PrintEnd(reports, read);
            return 0;
        });
        return root.Parse(args).Invoke();
    }
}
