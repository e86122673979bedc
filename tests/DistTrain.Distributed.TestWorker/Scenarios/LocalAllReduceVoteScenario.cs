using DistTrain.Torch.Distributed;
using static DistTrain.Torch.torch;

namespace DistTrain.Distributed.TestWorker.Scenarios;

/// <summary>
/// The last rank turns the shared-memory all-reduce off (DISTTRAIN_LOCAL_ALLREDUCE=0 on it alone):
/// every rank must then fall back to Gloo, and sums must still be right.
/// </summary>
public sealed class LocalAllReduceVoteScenario : IScenario
{
    public string Name => "local-all-reduce-vote";

    public int Run(string[] args)
    {
        var environment = LaunchEnvironment.FromEnvironment();
        var last = environment.Rank == environment.WorldSize - 1;
        using var context = Worker.Init(environment with { LocalAllReduce = !last });
        var group = context.ProcessGroup;
        int n = group.size(), r = group.rank();
        Check.That(!group.UsesLocalAllReduce, $"rank {r} uses Gloo because rank {n - 1} turned the shared-memory all-reduce off");
        using var t = tensor(new[] { r + 1f });
        group.all_reduce(t);
        Check.Values(t, [n * (n + 1) / 2f], $"all_reduce SUM over Gloo on rank {r}");
        return 0;
    }
}
