using System.Diagnostics;
using DistTrain.Distributed;
using static TorchSharp.torch;

namespace DistTrain.Bench.Distributed;

/// <summary>Times training in blocks of steps, each block timed by the slowest rank (it sets a data-parallel job's pace).</summary>
internal static class TimedBlocks
{
    /// <summary>Runs <paramref name="blocks"/> blocks of <paramref name="steps"/> calls of <paramref name="step"/> after a barrier; returns each block's ms per step.</summary>
    public static IReadOnlyList<double> MsPerStep(ProcessGroup group, int blocks, int steps, Action step)
    {
        var perStep = new List<double>(blocks);
        for (var b = 0; b < blocks; b++)
        {
            group.barrier();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < steps; i++)
                step();
            using var elapsed = tensor(new[] { clock.Elapsed.TotalSeconds });
            group.all_reduce(elapsed, ReduceOp.MAX);
            perStep.Add(elapsed.item<double>() * 1000 / steps);
        }

        return perStep;
    }

    /// <summary>The median of <paramref name="values"/> (the upper one of an even count).</summary>
    public static double Median(IReadOnlyList<double> values) => values.Order().ElementAt(values.Count / 2);
}
