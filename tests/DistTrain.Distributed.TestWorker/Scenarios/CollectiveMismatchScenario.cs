using static TorchSharp.torch;

namespace DistTrain.Distributed.TestWorker.Scenarios;

/// <summary>
/// <c>collective-mismatch size|dtype|collective</c>: the ranks call a collective that differs across them
/// (size: rank r passes 4 + r float32 elements; dtype: odd ranks pass float64; collective: the last rank
/// broadcasts while the others all-reduce). Every rank must fail at once with a
/// CollectiveMismatchException naming a rank that differs and what it passed, instead of pairing the
/// wrong elements or hanging.
/// </summary>
public sealed class CollectiveMismatchScenario : IScenario
{
    public string Name => "collective-mismatch";

    public int Run(string[] args)
    {
        var kind = args.Length > 0 ? args[0] : "size";
        using var context = Worker.Init();
        var group = context.ProcessGroup;
        int n = group.size(), r = group.rank();
        using var t = kind switch
        {
            "size" => ones(4 + r),
            "dtype" => ones(4, r % 2 == 0 ? ScalarType.Float32 : ScalarType.Float64),
            "collective" => ones(4),
            _ => throw new ArgumentException($"unknown mismatch kind '{kind}'"),
        };
        Action call = kind == "collective" && r == n - 1 ? () => group.broadcast(t, 0) : () => group.all_reduce(t);
        var e = Check.Throws<CollectiveMismatchException>(call, $"collectives that differ in {kind} across the ranks");
        Console.WriteLine($"exception: {e.GetType().Name}: {e.Message}");
        Check.That(e.Rank == r && e.WorldSize == n, "the exception names this rank and the world size");
        return 0;
    }
}
