using DistTrain.Data;
using static TorchSharp.torch;

namespace DistTrain.Distributed.TestWorker.Scenarios;

/// <summary>
/// Each rank scores its evaluation share (DistributedSampler, evaluation mode) of 103 seeded (target,
/// prediction) pairs in batches, sums the confusion matrix over the ranks, and checks it and its report
/// against one process's count of all 103 pairs: binary, and 5 classes with class 3 never present and
/// class 4 never predicted.
/// </summary>
public sealed class ConfusionMatrixScenario : IScenario
{
    private const int Samples = 103;

    public string Name => "confusion-matrix";

    public int Run(string[] args)
    {
        using var context = Worker.Init();
        var group = context.ProcessGroup;
        foreach (var classes in new[] { 2, 5 })
        {
            var (targets, predictions) = Pairs(classes);
            var share = new DistributedSampler(Samples, group.size(), group.rank(), shuffle: false, evaluation: true).ToArray();
            var local = new ConfusionMatrix(classes);
            foreach (var batch in share.Chunk(10))
            {
                using var p = tensor(batch.Select(i => predictions[i]).ToArray());
                using var t = tensor(batch.Select(i => targets[i]).ToArray());
                local.Update(p, t);
            }
            Check.That(local.Total == share.Length && (group.size() == 1 || local.Total < Samples), $"rank {group.rank()} counted {local.Total} of its {share.Length}");
            var summed = DistributedMetrics.SumAcrossRanks(group, local);

            var single = new ConfusionMatrix(classes); // one process, all pairs, one at a time
            for (var i = 0; i < Samples; i++) single.Add((int)targets[i], (int)predictions[i]);
            Check.That(summed.ToArray().SequenceEqual(single.ToArray()), $"{classes} classes: summed [{string.Join(", ", summed.ToArray())}], one process [{string.Join(", ", single.ToArray())}]");
            var (a, b) = (summed.Report(), single.Report());
            Check.That(a.Accuracy == b.Accuracy && a.MacroPrecision == b.MacroPrecision && a.MacroRecall == b.MacroRecall && a.MacroF1 == b.MacroF1
                && a.MicroF1 == b.MicroF1 && a.Classes.SequenceEqual(b.Classes), $"{classes} classes: the reports differ");
            if (classes == 5)
                Check.That(a.Classes[3].Support == 0 && a.Classes[3].Recall == 0 && a.Classes[4].Precision == 0 && a.Classes[4].Support > 0, "classes 3 and 4 score 0 where undefined");
            var f1 = classes == 2 ? a.Binary().F1 : a.MacroF1;
            Console.WriteLine($"ok: {classes} classes over {group.size()} ranks: the summed confusion matrix equals one process's (accuracy {a.Accuracy:F4}, {(classes == 2 ? "binary" : "macro")} F1 {f1:F4})");
        }
        return 0;
    }

    // Seeded pairs; with 5 classes targets avoid 3 and predictions avoid 4, and about 60 % are right.
    private static (long[] Targets, long[] Predictions) Pairs(int classes)
    {
        var random = new Random(40 + classes);
        long[] present = classes == 2 ? [0, 1] : [0, 1, 2, 4];
        long[] predicted = classes == 2 ? [0, 1] : [0, 1, 2, 3];
        var targets = Enumerable.Range(0, Samples).Select(_ => present[random.Next(present.Length)]).ToArray();
        var predictions = targets.Select(t => predicted.Contains(t) && random.NextDouble() < 0.6 ? t : predicted[random.Next(predicted.Length)]).ToArray();
        return (targets, predictions);
    }
}
