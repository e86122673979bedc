using TorchSharp;
using static TorchSharp.torch;

namespace DistTrain.Examples.Cifar;

/// <summary>How to train ResNet-18 on a CIFAR-format directory.</summary>
/// <param name="Loop">Epochs, batch, seed, threads, checkpoint interval.</param>
/// <param name="LearningRate">SGD's initial learning rate (cosine-annealed to 0 over the epochs).</param>
/// <param name="Momentum">SGD momentum.</param>
/// <param name="WeightDecay">SGD weight decay (L2).</param>
/// <param name="Augment">Augment the training images (<see cref="CifarAugmentation"/>); false: only normalise them.</param>
/// <param name="RotationDegrees">With <paramref name="Augment"/>: rotate each image by up to this many degrees either way (0: no rotation).</param>
/// <param name="Workers">With <paramref name="Augment"/>: background threads building each rank's batches.</param>
/// <param name="CifarStem">Use the usual CIFAR stem (<see cref="ResNetCifarTrainer.WithCifarStem"/>) instead of the ImageNet one.</param>
public sealed record ResNetCifarOptions(TrainingOptions Loop, double LearningRate = 0.05, double Momentum = 0.9, double WeightDecay = 5e-4,
    bool Augment = true, double RotationDegrees = 0, int Workers = 2, bool CifarStem = false);

/// <summary>
/// Trains TorchVision's resnet18 (TorchSharp's port; by default unchanged, the ImageNet stem, so a 32×32 image reaches
/// layer4 as 1×1) on the training batches of a CIFAR-format directory and scores it on test_batch.bin, with SGD +
/// momentum + weight decay and a cosine learning-rate decay (TorchSharp's LambdaLR, <see cref="LearningRateSchedules"/>)
/// stepped once an epoch, in <see cref="ClassifierTrainer"/>'s loop. Both splits are normalised with the training
/// images' per-channel mean and standard deviation; the training images are augmented (unless turned off), the
/// held-out ones never.
/// </summary>
public static class ResNetCifarTrainer
{
    /// <summary>TorchVision's resnet18 with <paramref name="classes"/> outputs: the model of this example and of the parity test.</summary>
    public static nn.Module<Tensor, Tensor> Model(int classes) => torchvision.models.resnet18(num_classes: classes);

    /// <summary>
    /// <paramref name="resnet"/> (TorchVision's) with the usual CIFAR stem: conv1 a 3×3 convolution of stride 1 and
    /// padding 1 (freshly initialised) and no max-pool, so a 32×32 image reaches layer4 as 4×4. Its other modules are
    /// reused as they are, in order, in a Sequential under the same names (its state_dict's keys are TorchVision's,
    /// less none: the max-pool has no tensors).
    /// </summary>
    /// <exception cref="ArgumentException">The model is not a TorchVision ResNet (it lacks conv1, maxpool, avgpool or fc).</exception>
    public static nn.Module<Tensor, Tensor> WithCifarStem(nn.Module<Tensor, Tensor> resnet)
    {
        var children = resnet.named_children().ToArray();
        string[] expected = ["conv1", "maxpool", "avgpool", "fc"];
        if (expected.Any(name => children.All(c => c.name != name)))
            throw new ArgumentException($"The CIFAR stem replaces a TorchVision ResNet's conv1 and maxpool; this model's modules are {string.Join(", ", children.Select(c => c.name))}.", nameof(resnet));
        var stem = new List<(string, nn.Module<Tensor, Tensor>)>();
        foreach (var (name, module) in children)
        {
            if (name == "maxpool") continue;
            if (name == "fc") stem.Add(("flatten", nn.Flatten())); // ResNet's forward flattens between avgpool and fc
            stem.Add((name, name == "conv1" ? CifarConv1() : (nn.Module<Tensor, Tensor>)module));
        }
        return nn.Sequential(stem);
    }

    // Initialised as TorchVision initialises ResNet's convolutions (Kaiming normal, fan out, ReLU).
    private static nn.Module<Tensor, Tensor> CifarConv1()
    {
        var conv = nn.Conv2d(CifarBinaryFile.Channels, 64, kernel_size: 3, stride: 1, padding: 1, bias: false);
        using (no_grad()) nn.init.kaiming_normal_(conv.weight!, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
        return conv;
    }

    /// <summary>Loads <paramref name="dataDirectory"/>, trains, and reports each epoch.</summary>
    /// <returns>Every epoch's report; the last holds the final test accuracy.</returns>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="CifarFormatException">A batch file is truncated or has a bad label.</exception>
    public static IReadOnlyList<EpochReport> Train(string dataDirectory, ResNetCifarOptions options, Action<EpochReport>? progress = null)
    {
        using var train = CifarData.Load(dataDirectory, CifarSplit.Train, normalise: false);
        using var test = CifarData.Load(dataDirectory, CifarSplit.Test, normalise: false);
        var (mean, std) = train.ChannelStatistics(); // every rank reads every training image: the same statistics on each
        test.Normalise(mean, std);
        var augmentation = options.Augment
            ? new TrainingAugmentation(CifarAugmentation.Create(options.Loop.Seed, mean, std, options.RotationDegrees), options.Workers)
            : null;
        if (augmentation is null) train.Normalise(mean, std); // else the augmentation's last step normalises
        using var trainSet = train.All();
        using var testSet = test.All();
        manual_seed(options.Loop.Seed);
        using var net = options.CifarStem ? WithCifarStem(Model(train.ClassNames.Count)) : Model(train.ClassNames.Count);
        using var optimizer = optim.SGD(net.parameters(), options.LearningRate, options.Momentum, weight_decay: options.WeightDecay);
        var scheduler = LearningRateSchedules.CosineOverEpochs(optimizer, options.Loop.Epochs);
        return ClassifierTrainer.Train(net, optimizer, scheduler, trainSet, testSet, options.Loop, progress, augmentation: augmentation);
    }
}
