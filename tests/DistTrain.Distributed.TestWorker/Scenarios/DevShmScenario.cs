using static TorchSharp.torch;

namespace DistTrain.Distributed.TestWorker.Scenarios;

/// <summary>
/// While a group that sums through shared memory lives, /dev/shm holds no segment of it (the name is
/// unlinked once every rank mapped it); prints what /dev/shm holds after the group's creation and
/// after a sum. The test runs it where the ranks share a private /dev/shm and checks it again after they exit.
/// </summary>
public sealed class DevShmScenario : IScenario
{
    public string Name => "dev-shm";

    public int Run(string[] args)
    {
        using var context = Worker.Init();
        var group = context.ProcessGroup;
        int n = group.size(), r = group.rank();
        Check.That(group.UsesLocalAllReduce, $"the ranks share /dev/shm, so sums go through it ({group.LocalAllReduceStatus})");
        group.barrier(); // every rank has finished setting up
        Console.WriteLine($"/dev/shm after setup: [{string.Join(", ", Entries())}]");
        using var t = ones(100_000);
        group.all_reduce(t);
        Check.That(Check.Same(t, full([100_000], (float)n)), $"the sum through shared memory is right on rank {r}");
        Console.WriteLine($"/dev/shm while summing: [{string.Join(", ", Entries())}]");
        group.barrier();
        return 0;
    }

    private static IEnumerable<string> Entries() => Directory.EnumerateFileSystemEntries("/dev/shm").Select(Path.GetFileName).Order()!;
}
