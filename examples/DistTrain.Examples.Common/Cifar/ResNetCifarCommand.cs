using System.CommandLine;

namespace DistTrain.Examples.Cifar;

/// <summary>The ResNetCifar example's command line: train (the default) and <c>generate DIR</c>.</summary>
public static class ResNetCifarCommand
{
    /// <summary>Parses <paramref name="args"/> and runs.</summary>
    /// <returns>The process exit code: 0 on success, 1 when the data is missing or malformed.</returns>
    public static int Run(string[] args)
    {
        var defaults = new ResNetCifarOptions(new TrainingOptions(Epochs: 3, BatchSize: 64));
        var data = new Option<string>("--data-dir") { Description = "CIFAR-10's binary version (data_batch_K.bin, test_batch.bin, batches.meta.txt).", Required = true };
        var momentum = new Option<double>("--momentum") { Description = "SGD momentum.", DefaultValueFactory = _ => defaults.Momentum };
        var decay = new Option<double>("--weight-decay") { Description = "SGD weight decay.", DefaultValueFactory = _ => defaults.WeightDecay };
        var noAugment = new Option<bool>("--no-augment") { Description = "Train on the images as they are (normalised): no random crop, flip or rotation." };
        var rotation = new Option<double>("--rotation") { Description = "Rotate each training image by up to this many degrees either way (0: none).", DefaultValueFactory = _ => defaults.RotationDegrees };
        var workers = new Option<int>("--workers") { Description = "Background threads building each rank's augmented batches (0: on the training thread).", DefaultValueFactory = _ => defaults.Workers };
        var cifarStem = new Option<bool>("--cifar-stem") { Description = "The usual CIFAR stem: conv1 3×3 with stride 1, no max-pool (default: TorchVision's ImageNet stem)." };
        var loop = new TrainingCommandLine(defaults.Loop, defaults.LearningRate, "the training batches", "SGD (cosine-annealed)");
        var root = new RootCommand("Trains TorchVision's ResNet-18 on CIFAR-format 32×32 images, data-parallel under `disttrain run`.")
        {
            data, momentum, decay, noAugment, rotation, workers, cifarStem, GenerateCommand.Create(new SyntheticCifarOptions(SyntheticCifarOptions.Cifar10Names)),
        };
        loop.AddTo(root);
        root.SetAction(parsed =>
        {
            var options = new ResNetCifarOptions(loop.Read(parsed), loop.LearningRate(parsed), parsed.GetValue(momentum), parsed.GetValue(decay),
                !parsed.GetValue(noAugment), parsed.GetValue(rotation), parsed.GetValue(workers), parsed.GetValue(cifarStem));
            var directory = parsed.GetValue(data)!;
            Console.WriteLine($"ResNet-18 on CIFAR-format data from {directory}: {TrainingCommandLine.Describe(options.Loop, options.LearningRate)}, momentum {options.Momentum}, weight decay {options.WeightDecay}; {Describe(options)}");
            return CifarErrors.Report(() =>
                TrainingCommandLine.PrintEnd(ResNetCifarTrainer.Train(directory, options, TrainingCommandLine.PrintEpoch), options.Loop));
        });
        return root.Parse(args).Invoke();
    }

    // "augmented (crop, flip, rotation ±5°; 2 workers), ImageNet stem": the data path and the stem, for the first line.
    private static string Describe(ResNetCifarOptions options)
    {
        var augmentation = !options.Augment ? "not augmented"
            : $"augmented (crop, flip{(options.RotationDegrees > 0 ? $", rotation ±{options.RotationDegrees}°" : "")}; {options.Workers} workers)";
        return $"{augmentation}, {(options.CifarStem ? "CIFAR" : "ImageNet")} stem";
    }
}
