using DistTrain.Protocol.Launch;

namespace DistTrain.Distributed.Tests.Launch;

/// <summary>docs/ENVIRONMENT.md's table says what the contract says, and the check names every variable it disagrees on.</summary>
public sealed class EnvironmentDocTests
{
    // A table that agrees with the contract, for the tests of the check itself.
    private static readonly string Agreeing = string.Join('\n', [EnvironmentDocTable.Header, "|---|---|---|---|---|", .. LaunchVariables.All.Select(EnvironmentDocTable.Row)]);

    [Fact]
    public void The_committed_doc_lists_every_variable_as_the_contract_does()
    {
        var problems = EnvironmentDocTable.Problems(File.ReadAllText(DocPath()));

        Assert.True(problems.Count == 0, $"docs/ENVIRONMENT.md disagrees with LaunchVariables:\n{string.Join('\n', problems)}");
    }

    [Fact]
    public void A_table_that_agrees_has_no_problems()
    {
        Assert.Empty(EnvironmentDocTable.Problems(Agreeing));
    }

    [Fact]
    public void A_variable_missing_from_the_doc_is_named()
    {
        var doc = Agreeing.Replace(EnvironmentDocTable.Row(LaunchVariables.Round) + "\n", "");

        Assert.StartsWith("DISTTRAIN_ROUND is not listed", Assert.Single(EnvironmentDocTable.Problems(doc)));
    }

    [Fact]
    public void A_variable_the_contract_lacks_is_named()
    {
        var doc = Agreeing + "\n| `DISTTRAIN_SOMETHING` | user | optional | — | something |";

        Assert.StartsWith("DISTTRAIN_SOMETHING is listed, but the contract", Assert.Single(EnvironmentDocTable.Problems(doc)));
    }

    [Fact]
    public void A_doc_that_disagrees_on_required_or_default_names_the_variable_and_both_values()
    {
        var doc = Agreeing
            .Replace("| `RANK` | `disttrain run` | required |", "| `RANK` | `disttrain run` | optional |")
            .Replace("| `GROUP_RANK` | `disttrain run` | optional | `0` |", "| `GROUP_RANK` | `disttrain run` | optional | `1` |");

        Assert.Equal(
            ["RANK's runtime is 'optional', but the contract's is 'required'", "GROUP_RANK's default is '`1`', but the contract's is '`0`'"],
            EnvironmentDocTable.Problems(doc));
    }

    [Fact]
    public void No_cell_of_the_contract_breaks_the_table()
    {
        Assert.All(LaunchVariables.All, v => Assert.DoesNotContain('|', v.Meaning + v.Default));
    }

    private static string DocPath()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "DistTrain.sln"))) root = root.Parent;
        Assert.NotNull(root);
        return Path.Combine(root.FullName, "docs", "ENVIRONMENT.md");
    }
}
