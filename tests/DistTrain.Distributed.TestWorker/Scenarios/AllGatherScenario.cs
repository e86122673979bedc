using static DistTrain.Torch.torch;

namespace DistTrain.Distributed.TestWorker.Scenarios;

/// <summary>all_gather: output i holds rank i's [i, -i].</summary>
public sealed class AllGatherScenario : IScenario
{
    public string Name => "all-gather";

    public int Run(string[] args)
    {
        using var context = Worker.Init();
        var group = context.ProcessGroup;
        int n = group.size(), r = group.rank();
        using var input = tensor(new[] { (float)r, -r });
        var outputs = Enumerable.Range(0, n).Select(_ => zeros(2)).ToList();
        group.all_gather(outputs, input);
        for (var i = 0; i < n; i++) Check.Values(outputs[i], [i, -i], $"all_gather slot {i} on rank {r}");
        outputs.ForEach(o => o.Dispose());
        return 0;
    }
}
