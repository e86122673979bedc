using System.Globalization;
using System.Text.RegularExpressions;
using DistTrain.Examples.Cifar;
using DistTrain.Examples.Tests.Support;
using DistTrain.Examples.Transfer;
using TorchSharp;
using TorchSharp.PyBridge;

namespace DistTrain.Examples.Tests.Cifar;

/// <summary>The ResNetCifar and TransferLearning examples trained on 2 real ranks by <c>disttrain run</c>, on generated CIFAR-format data.</summary>
public sealed partial class CourseExampleTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(6);
    private readonly string dir = Directory.CreateTempSubdirectory("disttrain-course-").FullName;

    [Fact]
    public async Task Resnet18_trains_on_cifar_format_data_on_2_ranks_and_its_loss_falls()
    {
        var data = Path.Combine(dir, "cifar");
        SyntheticCifar.Write(data, new SyntheticCifarOptions(SyntheticCifarOptions.Cifar10Names, TrainFiles: 2, PerFile: 128, TestCount: 64));
        var (exit, output) = await ExampleRun.RunAsync("ResNetCifar", ["--data-dir", data, "--epochs", "2", "--batch-size", "32", "--lr", "0.01"], Generous);

        Assert.True(exit == 0, output);
        Assert.Contains("[rank0]: 2 ranks, gloo process group", output);
        Assert.Contains("batch 32 (16 per rank × 2 ranks), lr 0.01, 1 thread(s), momentum 0.9, weight decay 0.0005; augmented (crop, flip; 2 workers), ImageNet stem", output);
        var losses = EpochLosses(output);
        Assert.Equal(2, losses.Length);
        Assert.Matches(@"\[rank0\]: epoch 2  loss [0-9.]+ .* held-out accuracy [0-9.]+ %  data wait [0-9.]+ %", output); // batches prefetched
        Assert.True(losses[1] < losses[0], $"the loss went from {losses[0]} to {losses[1]}:\n{output}");
        Assert.Matches(@"\[rank0\]: held-out accuracy: \d", output);
    }

    [Fact]
    public async Task Transfer_learning_on_2_ranks_keeps_frozen_parameters_and_batchnorm_statistics_bitwise_and_trains_the_new_head_above_chance()
    {
        string data = Path.Combine(dir, "cats-dogs"), pretrained = Path.Combine(dir, "resnet18.safetensors"), tuned = Path.Combine(dir, "tuned.safetensors");
        SyntheticCifar.Write(data, new SyntheticCifarOptions(SyntheticCifarOptions.CatsAndDogs, TrainFiles: 1, PerFile: 256, TestCount: 128));
        PyTorchResNet.Export(pretrained, classes: 10, seed: 5);
        var (exit, output) = await ExampleRun.RunAsync("TransferLearning",
            ["--data-dir", data, "--pretrained", pretrained, "--epochs", "3", "--save", tuned], Generous);

        Assert.True(exit == 0, output);
        Assert.Contains("new head fc: 512 → 2 (cat, dog); froze 60 of 62 parameter tensors (11,176,512 of 11,177,538 values); 20 BatchNorm layers kept in eval mode", output);
        var before = Safetensors.LoadStateDict(pretrained);
        var after = Safetensors.LoadStateDict(tuned);
        var backbone = after.Keys.Where(k => !k.StartsWith(TransferTrainer.Head, StringComparison.Ordinal)).ToArray();
        Assert.Equal(60, backbone.Count(k => !IsBuffer(k)));
        Assert.Equal(20 * 3, backbone.Count(IsBuffer)); // running_mean, running_var and num_batches_tracked of the 20 frozen BatchNorm layers
        Assert.All(backbone, k => Assert.True(before[k].bytes.SequenceEqual(after[k].bytes), $"frozen {k} changed"));
        Assert.Equal([2L, 512], after["fc.weight"].shape);
        var losses = EpochLosses(output);
        Assert.True(losses[^1] < losses[0], $"the loss went from {losses[0]} to {losses[^1]}:\n{output}");
        var accuracy = double.Parse(FinalAccuracy().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(accuracy > 65, $"held-out accuracy {accuracy} % on two balanced-ish classes:\n{output}");
    }

    [Fact]
    public async Task Transfer_learning_with_missing_weights_says_how_to_make_them()
    {
        var data = Path.Combine(dir, "cats-dogs");
        SyntheticCifar.Write(data, new SyntheticCifarOptions(SyntheticCifarOptions.CatsAndDogs, TrainFiles: 1, PerFile: 8, TestCount: 8));
        var (exit, output) = await ExampleRun.RunAsync("TransferLearning", ["--data-dir", data, "--pretrained", Path.Combine(dir, "none.safetensors")], Generous);
        Assert.NotEqual(0, exit);
        Assert.Contains("export_resnet18.py --out", output);
    }

    private static bool IsBuffer(string key) => key.EndsWith(".running_mean", StringComparison.Ordinal) || key.EndsWith(".running_var", StringComparison.Ordinal)
        || key.EndsWith(".num_batches_tracked", StringComparison.Ordinal);

    private static double[] EpochLosses(string output) =>
        EpochLine().Matches(output).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToArray();

    [GeneratedRegex(@"\[rank0\]: epoch \d+  loss ([0-9.]+)")]
    private static partial Regex EpochLine();

    [GeneratedRegex(@"\[rank0\]: held-out accuracy: ([0-9.]+) %")]
    private static partial Regex FinalAccuracy();

    public void Dispose() => Directory.Delete(dir, recursive: true);
}
