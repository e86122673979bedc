using DistTrain.Distributed.Tests.Harness;

namespace DistTrain.Distributed.Tests.Collectives;

/// <summary>Ranks that call different collectives, sizes or element types fail at once on every rank, each naming a rank that differs and what it passed.</summary>
public sealed class MismatchTests
{
    // What the worker passes: rank r's tensor in each kind of mismatch, as the native message describes it.
    private static string Passed(string kind, int rank, int ranks) => kind switch
    {
        "size" => $"all_reduce of {4 + rank} float32 elements (sum)",
        "dtype" => $"all_reduce of 4 {(rank % 2 == 0 ? "float32" : "float64")} elements (sum)",
        _ => rank == ranks - 1 ? "broadcast of 4 float32 elements from rank 0" : "all_reduce of 4 float32 elements (sum)",
    };

    [Theory]
    [InlineData(2, "size", Transport.SharedMemory)]
    [InlineData(3, "size", Transport.SharedMemory)]
    [InlineData(3, "size", Transport.Gloo)]
    [InlineData(2, "dtype", Transport.SharedMemory)]
    [InlineData(3, "dtype", Transport.Gloo)]
    [InlineData(2, "collective", Transport.Gloo)]
    [InlineData(3, "collective", Transport.SharedMemory)]
    public async Task Ranks_whose_collectives_differ_all_fail_with_a_mismatch_naming_a_rank_that_differs(int ranks, string kind, string transport)
    {
        var options = Transport.Select(transport, new WorkerGroupOptions { Arguments = [kind] });
        var result = (await WorkerGroup.RunAsync("collective-mismatch", ranks, options)).AssertAllPassed();
        foreach (var rank in result.Ranks)
        {
            // Each rank names the first rank, in rank order, whose call differs from its own.
            var other = Enumerable.Range(0, ranks).First(k => Passed(kind, k, ranks) != Passed(kind, rank.Rank, ranks));
            var collective = kind == "collective" && rank.Rank == ranks - 1 ? "broadcast" : "all_reduce";
            var carrier = collective == "broadcast" ? Transport.Gloo : Transport.SumLabel(transport);
            Assert.Contains(rank.Lines, l =>
                l.StartsWith($"exception: CollectiveMismatchException: {collective} on rank {rank.Rank} of {ranks} ({carrier}) failed", StringComparison.Ordinal)
                && l.Contains($"rank {other} passed {Passed(kind, other, ranks)}, rank {rank.Rank} passed {Passed(kind, rank.Rank, ranks)}", StringComparison.Ordinal));
        }
    }
}
