using static TorchSharp.torch;

namespace DistTrain.Distributed.TestWorker.Scenarios;

/// <summary>
/// The last rank turns the shared-memory all-reduce off (DISTTRAIN_LOCAL_ALLREDUCE=0 in its environment
/// alone, set by the test): every rank must then sum over Gloo, and the sums must still be right.
/// </summary>
public sealed class LocalAllReduceVoteScenario : IScenario
{
    public string Name => "local-all-reduce-vote";

    public int Run(string[] args)
    {
        var environment = LaunchEnvironment.FromEnvironment();
        var last = environment.Rank == environment.WorldSize - 1;
        Check.That(environment.LocalAllReduce == !last, $"DISTTRAIN_LOCAL_ALLREDUCE is 0 on the last rank only (rank {environment.Rank}: {environment.LocalAllReduce})");
        using var context = Worker.Init(environment);
        var group = context.ProcessGroup;
        int n = group.size(), r = group.rank();
        Check.That(!group.UsesLocalAllReduce, $"rank {r} uses Gloo because rank {n - 1} turned the shared-memory all-reduce off");
        using var t = tensor(new[] { r + 1f });
        group.all_reduce(t);
        Check.Values(t, [n * (n + 1) / 2.0], $"all_reduce SUM over Gloo on rank {r}");
        return 0;
    }
}
