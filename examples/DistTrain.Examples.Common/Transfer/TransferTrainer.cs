using DistTrain.Examples.Cifar;
using DistTrain.Parallel;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace DistTrain.Examples.Transfer;

/// <summary>How to fine-tune a pretrained resnet18.</summary>
/// <param name="Loop">Epochs, batch, seed, threads, checkpoint interval.</param>
/// <param name="Pretrained">The safetensors file PyTorch wrote (torchvision's resnet18 state_dict).</param>
/// <param name="Freeze">Name patterns of the parameters to freeze (<see cref="ParameterFreezing.freeze"/>).</param>
/// <param name="LearningRate">Adam's learning rate for what still trains.</param>
/// <param name="Save">Where rank 0 writes the trained model's state_dict (safetensors); null: nowhere.</param>
public sealed record TransferOptions(TrainingOptions Loop, string Pretrained, IReadOnlyList<string> Freeze, double LearningRate = 0.01, string? Save = null)
{
    /// <summary>The backbone of torchvision's resnet18: everything but the fc head.</summary>
    public static readonly IReadOnlyList<string> Backbone = ["conv1.*", "bn1.*", "layer*"];
}

/// <summary>
/// Transfer learning on a CIFAR-format directory: TorchVision's resnet18 with a new head of as many classes as the data
/// names (2 for cats and dogs), every other tensor loaded from a PyTorch safetensors file, the parameters matching the
/// freeze patterns frozen (a BatchNorm layer wholly frozen also keeps its running statistics: it runs in evaluation
/// mode, <see cref="FrozenBatchNorm"/>), then Adam on the rest in <see cref="ClassifierTrainer"/>'s loop
/// (data-parallel under <c>disttrain run</c>: DDP buckets and reduces only the parameters that still train).
/// </summary>
public static class TransferTrainer
{
    /// <summary>The name prefix of resnet18's head, which is replaced, not loaded.</summary>
    public const string Head = "fc.";

    /// <summary>Loads the data and the weights, freezes, trains, and (rank 0) saves.</summary>
    /// <param name="dataDirectory">A CIFAR-format directory (data_batch_K.bin, test_batch.bin, batches.meta.txt).</param>
    /// <param name="options">What to load, freeze and save, and the loop's options.</param>
    /// <param name="progress">Called on rank 0 after each epoch.</param>
    /// <param name="log">Called on rank 0 with what was loaded and frozen.</param>
    /// <returns>Every epoch's report.</returns>
    /// <exception cref="IOException">The data or the weights are missing.</exception>
    /// <exception cref="InvalidDataException">The weights do not fit resnet18.</exception>
    /// <exception cref="ArgumentException">A freeze pattern matches no parameter.</exception>
    public static IReadOnlyList<EpochReport> Train(string dataDirectory, TransferOptions options, Action<EpochReport>? progress = null, Action<string>? log = null)
    {
        using var train = CifarData.Load(dataDirectory, CifarSplit.Train);
        using var test = CifarData.Load(dataDirectory, CifarSplit.Test);
        using var trainSet = train.All();
        using var testSet = test.All();
        manual_seed(options.Loop.Seed);
        using var net = torchvision.models.resnet18(num_classes: train.ClassNames.Count);
        var loaded = PretrainedWeights.Load(net, options.Pretrained, Head);
        var frozen = net.freeze([.. options.Freeze]);
        if (DataParallel.IsMaster())
            log?.Invoke($"loaded {loaded} tensors from {options.Pretrained}; new head fc: 512 → {train.ClassNames.Count} ({string.Join(", ", train.ClassNames)}); {frozen}");
        using var optimizer = optim.Adam(net.parameters().Where(p => p.requires_grad), options.LearningRate);
        return ClassifierTrainer.Train(net, optimizer, scheduler: null, trainSet, testSet, options.Loop, progress, trained =>
        {
            if (options.Save is { } save && DataParallel.IsMaster()) SaveAtomically(trained, save);
        });
    }

    // PyBridge writes in place without truncating: write beside, then rename over.
    private static void SaveAtomically(nn.Module net, string path)
    {
        var staging = path + ".partial";
        File.Delete(staging);
        net.save_safetensors(staging);
        File.Move(staging, path, overwrite: true);
    }
}
