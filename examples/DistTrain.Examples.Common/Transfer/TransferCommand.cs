using System.CommandLine;
using DistTrain.Examples.Cifar;

namespace DistTrain.Examples.Transfer;

/// <summary>The TransferLearning example's command line: train (the default) and <c>generate DIR</c> (cats and dogs).</summary>
public static class TransferCommand
{
    /// <summary>Parses <paramref name="args"/> and runs.</summary>
    /// <returns>The process exit code: 0 on success, 1 when the data or weights are missing or do not fit.</returns>
    public static int Run(string[] args)
    {
        var defaults = new TransferOptions(new TrainingOptions(Epochs: 3, BatchSize: 32), "", TransferOptions.Backbone);
        var data = new Option<string>("--data-dir") { Description = "A CIFAR-format directory of two classes (make one with `generate DIR`).", Required = true };
        var pretrained = new Option<string>("--pretrained") { Description = "torchvision's resnet18 state_dict as safetensors (examples/pytorch/export_resnet18.py).", Required = true };
        var freeze = new Option<string>("--freeze")
        {
            Description = "Comma-separated name patterns of the parameters to freeze (* any characters).",
            DefaultValueFactory = _ => string.Join(",", defaults.Freeze),
        };
        var save = new Option<string?>("--save") { Description = "Write the trained model's state_dict here (safetensors; rank 0)." };
        var loop = new TrainingCommandLine(defaults.Loop, defaults.LearningRate, "the training batches", "Adam");
        var root = new RootCommand("Fine-tunes a pretrained ResNet-18 with a new 2-class head and a frozen backbone, data-parallel under `disttrain run`.")
        {
            data, pretrained, freeze, save, GenerateCommand.Create(new SyntheticCifarOptions(SyntheticCifarOptions.CatsAndDogs)),
        };
        loop.AddTo(root);
        root.SetAction(parsed =>
        {
            var options = new TransferOptions(loop.Read(parsed), parsed.GetValue(pretrained)!,
                parsed.GetValue(freeze)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), loop.LearningRate(parsed), parsed.GetValue(save));
            var directory = parsed.GetValue(data)!;
            Console.WriteLine($"transfer learning on {directory}: {TrainingCommandLine.Describe(options.Loop, options.LearningRate)}, freezing {string.Join(", ", options.Freeze)}");
            return CifarErrors.Report(() =>
                TrainingCommandLine.PrintEnd(TransferTrainer.Train(directory, options, TrainingCommandLine.PrintEpoch, Console.WriteLine), options.Loop));
        });
        return root.Parse(args).Invoke();
    }
}
