using DistTrain.Parallel;
using Xunit;

namespace DistTrain.Distributed.Tests.Parallel;

public sealed class BucketPlanTests
{
    private const long MiB = 1024 * 1024;

    private static BucketPlan.Item[] Items(params long[] bytes) =>
        bytes.Select((b, i) => new BucketPlan.Item(i, b, "float32/cpu")).ToArray();

    [Fact]
    public void Buckets_take_parameters_in_reverse_registration_order()
    {
        var plan = BucketPlan.Compute(Items(10, 20, 30), MiB, 25 * MiB);
        Assert.Equal([2, 1, 0], Assert.Single(plan));
    }

    [Fact]
    public void The_first_bucket_closes_at_its_own_smaller_cap_and_the_rest_at_the_cap()
    {
        // Walked in reverse: 5,4 (1.2 MiB >= 1 MiB: first bucket), then 3,2,1 (30 MiB >= 25), then 0.
        var plan = BucketPlan.Compute(Items(4 * MiB, 10 * MiB, 10 * MiB, 10 * MiB, 7 * MiB / 10, MiB / 2), MiB, 25 * MiB);
        Assert.Equal([[5, 4], [3, 2, 1], [0]], plan.Select(b => b.ToArray()).ToArray());
    }

    [Fact]
    public void Different_element_types_never_share_a_bucket()
    {
        var items = new[]
        {
            new BucketPlan.Item(0, 100, "float32"), new BucketPlan.Item(1, 100, "float64"),
            new BucketPlan.Item(2, 100, "float32"), new BucketPlan.Item(3, 100, "float64"),
        };
        var plan = BucketPlan.Compute(items, MiB, 25 * MiB);
        // Ordered by the position of each bucket's first gradient in the reverse walk: 3 (float64) before 2 (float32).
        Assert.Equal([[3, 1], [2, 0]], plan.Select(b => b.ToArray()).ToArray());
    }

    [Fact]
    public void A_non_positive_cap_is_refused_with_its_value()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => BucketPlan.Compute(Items(1), 0, MiB));
        Assert.Contains("(0 bytes) must be positive", e.Message);
    }
}
