using DistTrain.Torch.Distributed;
using static DistTrain.Torch.torch;

namespace DistTrain.Distributed.TestWorker.Scenarios;

/// <summary>
/// Rank r passes 4 + r elements to all_reduce: through shared memory every rank must fail at once with a
/// CollectiveException naming a rank whose tensor differs, instead of pairing the wrong elements.
/// </summary>
public sealed class AllReduceMismatchScenario : IScenario
{
    public string Name => "all-reduce-mismatch";

    public int Run(string[] args)
    {
        using var context = Worker.Init();
        var group = context.ProcessGroup;
        var r = group.rank();
        using var t = ones(4 + r);
        var e = Check.Throws<CollectiveException>(() => group.all_reduce(t), "all_reduce with tensors of different sizes");
        Console.WriteLine($"exception: {e.GetType().Name}: {e.Message}");
        Check.That(e is not CollectiveTimeoutException, "a size mismatch is reported as a failure, not as a timeout");
        return 0;
    }
}
