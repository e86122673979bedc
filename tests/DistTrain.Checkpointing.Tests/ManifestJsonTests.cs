using System.Text;
using System.Text.Json.Nodes;

namespace DistTrain.Checkpointing.Tests;

public sealed class ManifestJsonTests
{
    private static readonly CheckpointManifest Sample = new()
    {
        Step = 1200,
        Epoch = 3,
        DataPlan = new DataPlanPosition(3, 38400, 42),
        WorldSize = 4,
        RngStates = [new RankRngState(0, new Dictionary<string, string> { ["torch"] = "AAEC" })],
        Scheduler = new JsonObject { ["last_epoch"] = 3, ["gamma"] = 0.9 },
        ConfigHash = "ab12",
        CreatedUtc = new DateTimeOffset(2026, 12, 2, 14, 0, 0, TimeSpan.Zero),
        Files = [new CheckpointFile("model.safetensors", 10, new string('a', 64))],
    };

    [Fact]
    public void A_manifest_round_trips_through_snake_case_json()
    {
        var json = ManifestJson.Serialize(Sample);
        var text = Encoding.UTF8.GetString(json);

        var parsed = ManifestJson.Parse(json, "step-000001200");

        Assert.Contains("\"format_version\": 1", text);
        Assert.Contains("\"samples_consumed\": 38400", text);
        Assert.Contains("\"config_hash\": \"ab12\"", text);
        Assert.Equal(Sample.Step, parsed.Step);
        Assert.Equal(Sample.DataPlan, parsed.DataPlan);
        Assert.Equal(Sample.Files, parsed.Files);
        Assert.Equal("AAEC", parsed.RngStates[0].States["torch"]);
        Assert.Equal(0.9, (double)parsed.Scheduler!["gamma"]!);
        Assert.Equal(Sample.CreatedUtc, parsed.CreatedUtc);
    }

    [Theory]
    [InlineData("not json", "is not a valid manifest")]
    [InlineData("[]", "has no integer format_version")]
    [InlineData("{\"format_version\": 1}", "is not a valid manifest")]
    [InlineData("{\"format_version\": 1, \"step\": 1, \"files\": [{\"name\": \"a\", \"size\": 1, \"sha256\": \"short\"}]}", "64-digit sha256")]
    public void An_invalid_manifest_is_corrupt_naming_the_checkpoint_and_the_manifest(string json, string why)
    {
        var error = Assert.Throws<CheckpointCorruptException>(() => ManifestJson.Parse(Encoding.UTF8.GetBytes(json), "step-000000001"));

        Assert.StartsWith("Checkpoint step-000000001: manifest.json ", error.Message);
        Assert.Contains(why, error.Message);
        Assert.Equal("manifest.json", error.File);
    }
}
