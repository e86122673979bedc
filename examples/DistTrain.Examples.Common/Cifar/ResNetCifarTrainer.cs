using TorchSharp;
using static TorchSharp.torch;

namespace DistTrain.Examples.Cifar;

/// <summary>How to train ResNet-18 on a CIFAR-format directory.</summary>
/// <param name="Loop">Epochs, batch, seed, threads, checkpoint interval.</param>
/// <param name="LearningRate">SGD's initial learning rate (cosine-annealed to 0 over the epochs).</param>
/// <param name="Momentum">SGD momentum.</param>
/// <param name="WeightDecay">SGD weight decay (L2).</param>
public sealed record ResNetCifarOptions(TrainingOptions Loop, double LearningRate = 0.05, double Momentum = 0.9, double WeightDecay = 5e-4);

/// <summary>
/// Trains TorchVision's resnet18 (TorchSharp's port, unchanged: the ImageNet stem, so a 32×32 image reaches layer4 as
/// 1×1) on the training batches of a CIFAR-format directory and scores it on test_batch.bin, with SGD + momentum +
/// weight decay and a cosine learning-rate decay (TorchSharp's LambdaLR, <see cref="LearningRateSchedules"/>) stepped once an epoch, in <see cref="ClassifierTrainer"/>'s loop.
/// </summary>
public static class ResNetCifarTrainer
{
    /// <summary>TorchVision's resnet18 with <paramref name="classes"/> outputs: the model of this example and of the parity test.</summary>
    public static nn.Module<Tensor, Tensor> Model(int classes) => torchvision.models.resnet18(num_classes: classes);

    /// <summary>Loads <paramref name="dataDirectory"/>, trains, and reports each epoch.</summary>
    /// <returns>Every epoch's report; the last holds the final test accuracy.</returns>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="CifarFormatException">A batch file is truncated or has a bad label.</exception>
    public static IReadOnlyList<EpochReport> Train(string dataDirectory, ResNetCifarOptions options, Action<EpochReport>? progress = null)
    {
        using var train = CifarData.Load(dataDirectory, CifarSplit.Train);
        using var test = CifarData.Load(dataDirectory, CifarSplit.Test);
        using var trainSet = train.All();
        using var testSet = test.All();
        manual_seed(options.Loop.Seed);
        using var net = Model(train.ClassNames.Count);
        using var optimizer = optim.SGD(net.parameters(), options.LearningRate, options.Momentum, weight_decay: options.WeightDecay);
        var scheduler = LearningRateSchedules.CosineOverEpochs(optimizer, options.Loop.Epochs);
        return ClassifierTrainer.Train(net, optimizer, scheduler, trainSet, testSet, options.Loop, progress);
    }
}
