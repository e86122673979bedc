using DistTrain.Examples;
using DistTrain.Examples.Cifar;
using DistTrain.Examples.Xor;

namespace DistTrain.Examples.Tests;

/// <summary>The examples learn what they claim to, seeded and within a bounded number of epochs.</summary>
public class ExampleTrainingTests
{
    private static string Mnist => ExamplePaths.ResolveMnistDirectory(null);

    [Fact]
    public void Xor_network_solves_xor()
    {
        var result = XorTrainer.Train(epochs: 1000, seed: 1);
        Assert.True(result.Solved, $"outputs {string.Join(", ", result.Outputs)} do not round to 0 1 1 0");
        Assert.True(result.FinalLoss < 0.05, $"final BCE {result.FinalLoss}");
    }

    [Fact]
    public void Mnist_mlp_reaches_92_percent_held_out_accuracy_within_3_epochs()
    {
        var reports = MnistTrainer.Train(Mnist, MnistModels.Mlp, new MnistOptions(Epochs: 3, BatchSize: 64, LearningRate: 0.05, Seed: 1));
        Assert.True(reports[^1].HeldOutAccuracy >= 0.92, $"held-out accuracy {reports[^1].HeldOutAccuracy:P2} after {reports.Count} epochs");
    }

    [Fact]
    public void Mnist_cnn_reaches_96_percent_held_out_accuracy_within_3_epochs()
    {
        var reports = MnistTrainer.Train(Mnist, MnistModels.Cnn, new MnistOptions(Epochs: 3, BatchSize: 64, LearningRate: 0.05, Seed: 1));
        Assert.True(reports[^1].HeldOutAccuracy >= 0.96, $"held-out accuracy {reports[^1].HeldOutAccuracy:P2} after {reports.Count} epochs");
    }

    [Fact]
    public void Resnet18_learns_the_generated_cifar_colour_cue_to_3x_chance_within_3_epochs()
    {
        var data = Directory.CreateTempSubdirectory("disttrain-cifar-learn-").FullName;
        try
        {
            SyntheticCifar.Write(data, new SyntheticCifarOptions(SyntheticCifarOptions.Cifar10Names, TrainFiles: 2, PerFile: 256, TestCount: 128));
            var reports = ResNetCifarTrainer.Train(data, new ResNetCifarOptions(new TrainingOptions(Epochs: 3, BatchSize: 32)));
            Assert.True(reports[^1].HeldOutAccuracy >= 0.30, $"test accuracy {reports[^1].HeldOutAccuracy:P2} after {reports.Count} epochs (chance: 10 %)");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public void A_missing_data_directory_is_reported_with_what_to_pass()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => ExamplePaths.ResolveMnistDirectory("/nonexistent/mnist"));
        Assert.Contains("--data", e.Message);
    }
}
