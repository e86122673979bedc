using DistTrain.Distributed.Tests.Harness;

namespace DistTrain.Distributed.Tests.Data;

/// <summary>The confusion matrix and its precision, recall and F1 summed over real worker processes (TestWorker's confusion-matrix scenario).</summary>
public sealed class ConfusionMatrixProcessTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Ranks_summing_their_shares_get_one_processs_confusion_matrix_and_scores_binary_and_multi_class(int ranks)
    {
        var result = (await WorkerGroup.RunAsync("confusion-matrix", ranks)).AssertAllPassed();
        foreach (var classes in new[] { 2, 5 })
            Assert.All(result.Ranks, r => Assert.Contains(r.Lines, l =>
                l.StartsWith($"ok: {classes} classes over {ranks} ranks: the summed confusion matrix equals one process's", StringComparison.Ordinal)));
        // Every rank holds the same numbers.
        Assert.Single(result.Ranks.Select(r => string.Join("\n", r.Lines.Where(l => l.StartsWith("ok: ", StringComparison.Ordinal)))).Distinct());
    }
}
