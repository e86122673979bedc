using DistTrain.Checkpoints;

namespace DistTrain.Distributed.Tests.Checkpoints;

public sealed class RandomStateTests
{
    private static int[] Draw(Random random) => [.. Enumerable.Range(0, 20).Select(_ => random.Next())];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_restored_random_repeats_the_draws_that_followed_its_capture(bool seeded)
    {
        var random = seeded ? new Random(1234) : new Random();
        Draw(random);
        var state = RandomState.Capture(random);
        var expected = Draw(random);

        RandomState.Restore(random, state);

        Assert.Equal(expected, Draw(random));
    }

    [Fact]
    public void A_state_restores_into_another_generator_of_the_same_kind()
    {
        var source = new Random(7);
        Draw(source);
        var other = new Random(99);

        RandomState.Restore(other, RandomState.Capture(source));

        Assert.Equal(Draw(source), Draw(other));
    }

    [Fact]
    public void A_state_of_another_kind_of_generator_is_refused()
    {
        var error = Assert.Throws<InvalidDataException>(() => RandomState.Restore(new Random(1), RandomState.Capture(new Random())));

        Assert.Contains("another kind of Random", error.Message);
    }

    [Fact]
    public void Random_Shared_is_refused_with_what_to_use_instead()
    {
        var error = Assert.Throws<ArgumentException>(() => RandomState.Capture(Random.Shared));

        Assert.Contains("register a Random of your own (new Random(seed))", error.Message);
    }
}
