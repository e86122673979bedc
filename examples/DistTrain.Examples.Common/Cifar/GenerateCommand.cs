using System.CommandLine;

namespace DistTrain.Examples.Cifar;

/// <summary>
/// The <c>generate DIR</c> subcommand of the CIFAR-format examples: writes a small <see cref="SyntheticCifar"/>
/// dataset to train on (no real CIFAR-10 can be downloaded here).
/// </summary>
public static class GenerateCommand
{
    /// <summary>The subcommand, with <paramref name="defaults"/> as its defaults.</summary>
    public static Command Create(SyntheticCifarOptions defaults)
    {
        var directory = new Argument<string>("dir") { Description = "Directory to write data_batch_K.bin, test_batch.bin and batches.meta.txt into." };
        var files = new Option<int>("--train-files") { Description = "Training batch files.", DefaultValueFactory = _ => defaults.TrainFiles };
        var perFile = new Option<int>("--per-file") { Description = "Images per training file (CIFAR-10 has 10,000).", DefaultValueFactory = _ => defaults.PerFile };
        var test = new Option<int>("--test") { Description = "Images in test_batch.bin.", DefaultValueFactory = _ => defaults.TestCount };
        var seed = new Option<int>("--seed") { Description = "Seeds pixels and labels.", DefaultValueFactory = _ => defaults.Seed };
        var command = new Command("generate", $"Writes a small CIFAR-format dataset of {string.Join(", ", defaults.ClassNames)}: noise with a square in each class's colour.")
        {
            directory, files, perFile, test, seed,
        };
        command.SetAction(parsed =>
        {
            var options = defaults with
            {
                TrainFiles = parsed.GetValue(files), PerFile = parsed.GetValue(perFile), TestCount = parsed.GetValue(test), Seed = parsed.GetValue(seed),
            };
            var dir = parsed.GetValue(directory)!;
            try
            {
                SyntheticCifar.Write(dir, options);
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine(e.Message);
                return 1;
            }
            Console.WriteLine($"{dir}: {options.TrainFiles} × {options.PerFile} training and {options.TestCount} test images of {options.ClassNames.Count} classes");
            return 0;
        });
        return command;
    }
}
