using DistTrain.Distributed.Tests.Harness;

namespace DistTrain.Distributed.Tests.Checkpoints;

/// <summary>
/// Over 3 real processes, signals that reach different ranks at different steps give every rank the same
/// checkpoint decisions, taken at the next agreement step (every 4 here), while saves by step need no agreement.
/// </summary>
public sealed class TriggerAgreementTests
{
    [Fact]
    public async Task Signals_on_one_rank_are_served_on_every_rank_at_the_next_agreement_step_and_SIGTERM_stops_them_all_there()
    {
        var result = (await WorkerGroup.RunAsync("trigger-agreement", 3)).AssertAllPassed();

        // SIGUSR1 on rank 2 after step 6 → step 8; every 15 → step 15; SIGTERM on rank 0 after step 25 → step 28, and stop.
        Assert.All(result.Ranks, rank => Assert.Contains("decisions 8:10:go,15:0:go,28:15:stop", rank.StandardOutputLines));
    }
}
