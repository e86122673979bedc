using static TorchSharp.torch;

namespace DistTrain.Distributed.TestWorker.Scenarios;

/// <summary>broadcast from rank 0 and from the last rank, in float32, int64 and uint8: every rank ends with the root's tensor.</summary>
public sealed class BroadcastScenario : IScenario
{
    public string Name => "broadcast";

    public int Run(string[] args)
    {
        using var context = Worker.Init();
        var group = context.ProcessGroup;
        int n = group.size(), r = group.rank();
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Int64, ScalarType.Byte })
        {
            foreach (var root in new[] { 0, n - 1 })
            {
                using var t = tensor(new[] { 10.0 * r, 10.0 * r + 1, 10.0 * r + 2 }).to(dtype);
                group.broadcast(t, root);
                Check.Values(t, [10.0 * root, 10.0 * root + 1, 10.0 * root + 2], $"broadcast of {dtype} from rank {root} to rank {r}");
            }
        }

        return 0;
    }
}
