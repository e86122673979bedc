using DistTrain.Native;
using DistTrain.Parallel;
using TorchSharp;
using static TorchSharp.torch;

namespace DistTrain.Distributed.TestWorker.Ddp;

/// <summary>
/// Every gradient is a view into its bucket: within a bucket, the gradients lie back to back in the
/// bucket's layout order, and they stay at those addresses across <c>optimizer.zero_grad()</c>,
/// optimizer steps and backwards (zeroed in place, written in place). After <c>Module.zero_grad()</c>
/// (set to none) the next backward puts them back at the same addresses.
/// </summary>
public sealed class DdpGradientViewsScenario : DdpScenario
{
    public override string Name => "ddp-gradient-views";

    protected override void Run(ProcessGroup group, string[] args)
    {
        int rank = group.rank(), world = group.size();
        using var model = DdpModels.Mlp.Build(300);
        using var ddp = new DistributedDataParallel(model, group, bucketCapMb: DdpModels.BucketMb, firstBucketCapMb: DdpModels.FirstBucketMb);
        Check.That(ddp.BucketBytes.Count >= 2, $"expected several buckets, got {ddp.BucketBytes.Count}");
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var layout = LayoutOf(ddp, parameters);
        Console.WriteLine($"buckets: {string.Join(" | ", ddp.BucketParameterNames.Select(b => string.Join(", ", b)))}");

        using var optimizer = optim.SGD(ddp.parameters(), 0.01, momentum: 0.9);
        manual_seed(310 + rank);
        for (var step = 0; step < 4; step++)
        {
            using var scope = NewDisposeScope();
            if (step == 2)
            {
                ddp.zero_grad(); // TorchSharp's default: set to none
                Check.That(parameters.Values.All(p => p.grad is null), "Module.zero_grad() set every gradient to none");
            }
            else
            {
                optimizer.zero_grad();
                Check.That(parameters.Values.All(p => p.grad is { } g && g.count_nonzero().item<long>() == 0), $"step {step}: optimizer.zero_grad() zeroed every gradient");
                RequireLayout(parameters, layout, $"step {step}, after optimizer.zero_grad()");
            }
            nn.functional.mse_loss(ddp.call(randn(4, 8)), randn(4, 4)).backward();
            Check.That(parameters.Values.All(p => p.grad is { } g && g.count_nonzero().item<long>() > 0), $"step {step}: backward wrote every gradient");
            RequireLayout(parameters, layout, $"step {step}, after backward");
            optimizer.step();
            RequireLayout(parameters, layout, $"step {step}, after optimizer.step()");
        }
        Console.WriteLine($"rank {rank}: gradients stay views into their {ddp.BucketBytes.Count} buckets across optimizer.zero_grad(), steps and backwards");
    }

    // Each bucket's gradients back to back, from where the first one starts.
    private static List<(string Name, IntPtr Address)> LayoutOf(DistributedDataParallel ddp, Dictionary<string, TorchSharp.Modules.Parameter> parameters)
    {
        var layout = new List<(string, IntPtr)>();
        foreach (var bucket in ddp.BucketParameterNames)
        {
            using var first = parameters[bucket[0]].grad ?? throw new CheckFailedException($"check failed: {bucket[0]} has no gradient view after construction");
            var address = TensorMemory.Address(first);
            foreach (var name in bucket)
            {
                layout.Add((name, address));
                address += (nint)(parameters[name].numel() * parameters[name].ElementSize);
            }
        }
        return layout;
    }

    private static void RequireLayout(Dictionary<string, TorchSharp.Modules.Parameter> parameters, List<(string Name, IntPtr Address)> layout, string when)
    {
        foreach (var (name, address) in layout)
        {
            using var grad = parameters[name].grad ?? throw new CheckFailedException($"check failed: {when}: {name} has no gradient");
            Check.That(grad.is_contiguous() && TensorMemory.Address(grad) == address, $"{when}: {name}'s gradient is not its bucket view (at {TensorMemory.Address(grad):x}, expected {address:x})");
        }
    }
}
