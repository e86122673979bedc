using DistTrain.Protocol.DataPlan;

namespace DistTrain.Coordinator.Tests.Protocol.DataPlan;

/// <summary>The epoch order: a bijection of [0, size), the same for the same inputs, different for another seed or epoch.</summary>
public sealed class EpochPermutationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(17)]
    [InlineData(64)]
    [InlineData(1000)]
    [InlineData(4097)]
    public void Every_position_holds_a_different_id_of_0_to_size(long size)
    {
        foreach (var seed in new ulong[] { 0, 1, 0xFFFF_FFFF_FFFF_FFFF })
        {
            var order = new EpochPermutation(seed, epoch: 3, size);
            var ids = Enumerable.Range(0, (int)size).Select(p => order[p]).ToArray();
            Assert.Equal(Enumerable.Range(0, (int)size).Select(i => (long)i), ids.Order());
        }
    }

    [Fact]
    public void The_same_seed_epoch_and_size_give_the_same_order_on_every_call_and_instance()
    {
        var first = Order(new EpochPermutation(42, 7, 500));
        var again = Order(new EpochPermutation(42, 7, 500));

        Assert.Equal(first, again);
        Assert.Equal(first, Order(new EpochPermutation(42, 7, 500)));
    }

    [Fact]
    public void Another_seed_or_another_epoch_gives_another_order()
    {
        var order = Order(new EpochPermutation(42, 7, 500));

        Assert.NotEqual(order, Order(new EpochPermutation(43, 7, 500)));
        Assert.NotEqual(order, Order(new EpochPermutation(42, 8, 500)));
    }

    [Fact]
    public void The_order_is_shuffled_not_the_identity_or_a_rotation()
    {
        var order = Order(new EpochPermutation(1, 0, 1000));

        var inPlace = order.Where((id, p) => id == p).Count();
        var ascendingNeighbours = order.Zip(order.Skip(1)).Count(pair => pair.Second == pair.First + 1);
        Assert.True(inPlace < 20, $"{inPlace} of 1000 ids stayed in place");
        Assert.True(ascendingNeighbours < 20, $"{ascendingNeighbours} of 999 neighbours are consecutive ids");
    }

    // Pinned so that a change to the algorithm (which would change every job's order and break resuming
    // a checkpoint written before it) cannot pass unnoticed.
    [Fact]
    public void The_order_is_the_pinned_one_for_fixed_inputs()
    {
        Assert.Equal([5L, 0, 8, 7, 3, 1, 6, 2, 4, 9], Order(new EpochPermutation(12345, 2, 10)));
        Assert.Equal([6L, 4, 0, 3, 2, 1, 5], Order(new EpochPermutation(0, 0, 7)));
        Assert.Equal([574_648_178_466L, 402_691_470_574, 327_996_821_456, 81_913_929_069], new[] { 0L, 1, 999_999, 123_456_789_012 }.Select(p => new EpochPermutation(99, 5, 1L << 40)[p]));
    }

    [Fact]
    public void Without_shuffle_position_p_holds_id_p()
    {
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), Order(new EpochPermutation(42, 3, 50, shuffle: false)));
    }

    [Fact]
    public void Positions_outside_the_dataset_and_negative_sizes_are_refused()
    {
        var order = new EpochPermutation(1, 0, 10);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => order[10]);
        Assert.Contains("[0, 10)", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => order[-1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => new EpochPermutation(1, 0, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EpochPermutation(1, -1, 10));
    }

    private static long[] Order(EpochPermutation order) => Enumerable.Range(0, (int)order.Size).Select(p => order[p]).ToArray();
}
