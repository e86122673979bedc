using static DistTrain.Torch.torch;

namespace DistTrain.Distributed.TestWorker.Scenarios;

/// <summary>broadcast from rank 0 and from the last rank: every rank ends with the root's tensor.</summary>
public sealed class BroadcastScenario : IScenario
{
    public string Name => "broadcast";

    public int Run(string[] args)
    {
        using var context = Worker.Init();
        var group = context.ProcessGroup;
        int n = group.size(), r = group.rank();
        foreach (var root in new[] { 0, n - 1 })
        {
            using var t = tensor(new[] { 10f * r, 10f * r + 1, 10f * r + 2 });
            group.broadcast(t, root);
            Check.Values(t, [10f * root, 10f * root + 1, 10f * root + 2], $"broadcast from rank {root} to rank {r}");
        }

        return 0;
    }
}
