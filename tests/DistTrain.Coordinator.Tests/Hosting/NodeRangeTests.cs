using DistTrain.Coordinator.Hosting;

namespace DistTrain.Coordinator.Tests.Hosting;

public sealed class NodeRangeTests
{
    [Theory]
    [InlineData("1:4", 1, 4)]
    [InlineData("3", 3, 3)]
    [InlineData("2:2", 2, 2)]
    public void Parses_n_and_min_max(string text, int min, int max)
    {
        Assert.Equal(new NodeRange(min, max), NodeRange.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1:")]
    [InlineData("a:b")]
    [InlineData("1:2:3")]
    [InlineData("-1:2")]
    public void Rejects_anything_else_showing_the_text_and_the_form(string text)
    {
        var error = Assert.Throws<FormatException>(() => NodeRange.Parse(text));

        Assert.Contains($"('{text}') must be N or MIN:MAX", error.Message);
    }
}
