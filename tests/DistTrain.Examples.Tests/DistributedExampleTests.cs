using System.Globalization;
using System.Text.RegularExpressions;
using DistTrain.Examples.Tests.Support;

namespace DistTrain.Examples.Tests;

/// <summary>The examples run data-parallel under a real `disttrain run` with 2 worker processes.</summary>
public sealed partial class DistributedExampleTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Xor_through_the_trainer_on_2_ranks_solves_xor_on_both()
    {
        var (exit, text) = await ExampleRun.RunAsync("Xor", ["--epochs", "1000"], Generous);
        Assert.True(exit == 0, text);
        Assert.Contains("[rank0]: 2 ranks, gloo process group", text);
        Assert.Contains("[rank0]: epoch  1000  loss ", text);
        Assert.Contains("[rank0]: XOR solved.", text);
        Assert.Contains("[rank1]: XOR solved.", text);
    }

    [Fact]
    public async Task Mnist_with_augmentation_prefetching_metrics_and_early_stopping_trains_2_epochs_on_2_ranks()
    {
        var (exit, text) = await ExampleRun.RunAsync("MnistEarlyStopping", ["--epochs", "2", "--train-count", "1024", "--held-out", "512"], Generous);
        Assert.True(exit == 0, text);
        var epochs = EpochLine().Matches(text);
        Assert.Equal(["1", "2"], epochs.Select(m => m.Groups["epoch"].Value));
        var accuracy = double.Parse(epochs[^1].Groups["accuracy"].Value, CultureInfo.InvariantCulture);
        Assert.True(accuracy >= 50, $"held-out accuracy {accuracy} % after 2 epochs of 1,024 samples:\n{text}");
        Assert.Matches(@"\[rank0\]: (trained to epoch 2|stopped early after epoch 2): best held-out accuracy at epoch [12]", text);
    }

    [GeneratedRegex(@"\[rank0\]: epoch +(?<epoch>\d+)  loss [\d.]+  held-out accuracy (?<accuracy>[\d.]+) %  macro F1 [\d.]+")]
    private static partial Regex EpochLine();
}
