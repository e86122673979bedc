using DistTrain.Tests.Shared;

namespace DistTrain.Examples.Tests;

/// <summary>The same seed trains the same model, to the last bit.</summary>
[Collection(TorchGeneratorCollection.Name)]
public class SeedRepeatabilityTests
{
    [Fact]
    public void Mnist_training_is_repeatable_with_the_same_seed()
    {
        var mnist = ExamplePaths.ResolveMnistDirectory(null);
        var options = new MnistOptions(Epochs: 1, BatchSize: 128, LearningRate: 0.05, Seed: 7, TrainCount: 2000);
        var a = MnistTrainer.Train(mnist, MnistModels.Mlp, options);
        var b = MnistTrainer.Train(mnist, MnistModels.Mlp, options);
        Assert.Equal(a[0].MeanLoss, b[0].MeanLoss);
        Assert.Equal(a[0].HeldOutAccuracy, b[0].HeldOutAccuracy);
    }
}
