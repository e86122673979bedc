using DistTrain.Runtime;

namespace DistTrain.Distributed.Tests.Runtime;

/// <summary>How many intra-op threads a rank computes with: threads × ranks must not exceed the cores.</summary>
public sealed class WorkerThreadsTests
{
    [Theory]
    [InlineData(16, 4, 4)]
    [InlineData(16, 3, 5)]
    [InlineData(2, 2, 1)]
    [InlineData(2, 3, 1)]
    [InlineData(8, 1, 8)]
    public void Without_a_request_the_cores_are_split_evenly_among_the_nodes_ranks_at_least_one_each(int cores, int ranks, int expected) =>
        Assert.Equal(expected, WorkerThreads.IntraOp(requested: null, ompNumThreads: null, cores, ranks));

    [Fact]
    public void OMP_NUM_THREADS_overrides_the_split() =>
        Assert.Equal(3, WorkerThreads.IntraOp(requested: null, ompNumThreads: 3, cores: 16, localWorldSize: 4));

    [Fact]
    public void An_explicit_request_wins_over_OMP_NUM_THREADS() =>
        Assert.Equal(2, WorkerThreads.IntraOp(requested: 2, ompNumThreads: 3, cores: 16, localWorldSize: 4));

    [Fact]
    public void A_request_below_one_is_refused_with_its_value()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => WorkerThreads.IntraOp(requested: 0, ompNumThreads: null, cores: 16, localWorldSize: 4));
        Assert.Contains("The intra-op thread count (0) must be at least 1", e.Message);
    }
}
