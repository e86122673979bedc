namespace DistTrain.Checkpointing.Tests;

public sealed class CheckpointLayoutTests
{
    [Theory]
    [InlineData("step-000000100", true, 100)]
    [InlineData("step-1234567890", true, 1234567890)]
    [InlineData("step-100", false, 0)]
    [InlineData(".staging-step-000000100-abc", false, 0)]
    [InlineData("step-00000010x", false, 0)]
    [InlineData("latest", false, 0)]
    public void Only_step_directories_parse_as_checkpoints(string name, bool parses, long step)
    {
        Assert.Equal(parses, CheckpointLayout.TryParseStep(name, out var parsed));
        Assert.Equal(step, parsed);
    }

    [Fact]
    public void Names_are_zero_padded_and_staging_names_carry_the_attempt()
    {
        Assert.Equal("step-000000042", CheckpointLayout.DirectoryName(42));
        Assert.Equal(".staging-step-000000042-r3", CheckpointLayout.StagingName(42, "r3"));
        Assert.True(CheckpointLayout.IsLeftover(CheckpointLayout.StagingName(42, "r3")));
        Assert.Throws<ArgumentException>(() => CheckpointLayout.StagingName(42, "../x"));
    }
}
