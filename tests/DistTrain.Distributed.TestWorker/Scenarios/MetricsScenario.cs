using DistTrain.Data;

namespace DistTrain.Distributed.TestWorker.Scenarios;

/// <summary>DistributedMetrics: rank r scored 10 + r samples of which r + 1 right; every rank gets the totals.</summary>
public sealed class MetricsScenario : IScenario
{
    public string Name => "metrics";

    public int Run(string[] args)
    {
        using var context = Worker.Init();
        var group = context.ProcessGroup;
        int n = group.size(), r = group.rank();
        var sums = DistributedMetrics.SumAcrossRanks(group, r + 1, 10 + r, 1L << 40);
        long correct = n * (n + 1) / 2, total = 10L * n + n * (n - 1) / 2;
        Check.That(sums.SequenceEqual([correct, total, n * (1L << 40)]), $"SumAcrossRanks gave [{string.Join(", ", sums)}]");
        var (accuracy, c, t) = DistributedMetrics.Accuracy(group, r + 1, 10 + r);
        Check.That(c == correct && t == total && accuracy == (double)correct / total, $"Accuracy gave {accuracy} ({c}/{t})");
        var (none, _, zero) = DistributedMetrics.Accuracy(group, 0, 0);
        Check.That(none == 0 && zero == 0, "nothing scored anywhere gives accuracy 0");
        Console.WriteLine($"ok: metrics summed over {n} ranks on rank {r}: {c}/{t}");
        return 0;
    }
}
