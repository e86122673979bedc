using DistTrain.Examples.Tests.Support;
using DistTrain.Tests.Shared;

namespace DistTrain.Examples.Tests;

/// <summary>The examples run data-parallel under a real `disttrain run` with 2 worker processes.</summary>
public sealed class DistributedExampleTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Xor_through_the_trainer_on_2_ranks_solves_xor_on_both()
    {
        var (process, output) = DisttrainRun.Start("--standalone", "--nproc-per-node", "2", "--",
            RepoPaths.Of("examples/Xor/bin/Release/net10.0/Xor.dll"), "--epochs", "1000");
        using var _ = process;
        await process.WaitForExitAsync().WaitAsync(Generous);
        var text = output.ToString();
        Assert.True(process.ExitCode == 0, text);
        Assert.Contains("[rank0]: 2 ranks, gloo process group", text);
        Assert.Contains("[rank0]: epoch  1000  loss ", text);
        Assert.Contains("[rank0]: XOR solved.", text);
        Assert.Contains("[rank1]: XOR solved.", text);
    }
}
