using DistTrain.Distributed;
using static TorchSharp.torch;

namespace DistTrain.Distributed.TestWorker.Scenarios;

/// <summary>
/// Tensors from <see cref="ProcessGroup.empty_shared"/>: all_reduce SUM and AVG of them, of views inside
/// them and of one spanning many blocks give exact results in every type the shared-memory path takes;
/// the status says whether the tensor is shared. With the argument "mismatch" the last rank passes a
/// private tensor where the others pass a shared one, and every rank must fail with a mismatch.
/// </summary>
public sealed class SharedBufferScenario : IScenario
{
    public string Name => "shared-buffer";

    public int Run(string[] args)
    {
        using var context = Worker.Init();
        var group = context.ProcessGroup;
        int n = group.size(), r = group.rank();
        using var scope = NewDisposeScope();
        var sum = n * (n + 1) / 2.0;

        var probe = group.empty_shared([4]);
        Console.WriteLine(group.SharedBufferStatus.Length == 0 ? "empty_shared: shared" : $"empty_shared: private ({group.SharedBufferStatus})");
        if (args.FirstOrDefault() == "mismatch") return Mismatch(group, probe);

        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64, ScalarType.Int32, ScalarType.Int64 })
        {
            var t = group.empty_shared([1000], dtype).fill_(r + 1);
            group.all_reduce(t);
            Check.Values(t, Enumerable.Repeat(sum, 1000).ToArray(), $"all_reduce SUM of a shared {dtype} tensor");
            if (dtype is ScalarType.Float32 or ScalarType.Float64)
            {
                t.fill_(r + 1);
                group.all_reduce(t, ReduceOp.AVG);
                Check.Values(t, Enumerable.Repeat(sum / n, 1000).ToArray(), $"all_reduce AVG of a shared {dtype} tensor");
            }
        }

        // A view in the middle: only its elements change.
        var whole = group.empty_shared([10]).fill_(r + 1);
        group.all_reduce(whole.narrow(0, 3, 4));
        Check.Values(whole, [r + 1, r + 1, r + 1, sum, sum, sum, sum, r + 1, r + 1, r + 1], "all_reduce SUM of a view inside a shared tensor");

        var large = group.empty_shared([3_000_001]).fill_(r + 1);
        Console.WriteLine(group.SharedBufferStatus.Length == 0 ? "large: shared" : $"large: private ({group.SharedBufferStatus})");
        group.all_reduce(large, ReduceOp.AVG);
        Check.That(large.eq((float)(sum / n)).all().item<bool>(), $"every element of a shared 3,000,001-element average is {sum / n}");
        Console.WriteLine($"ok: shared tensors reduce exactly over {n} ranks");
        return 0;
    }

    private static int Mismatch(ProcessGroup group, Tensor shared)
    {
        var t = group.rank() == group.size() - 1 ? zeros(4) : shared.fill_(1);
        var e = Check.Throws<CollectiveMismatchException>(() => group.all_reduce(t), "all_reduce of a shared tensor on some ranks and a private one on another");
        Console.WriteLine($"exception: {e.Message}");
        return 0;
    }
}
