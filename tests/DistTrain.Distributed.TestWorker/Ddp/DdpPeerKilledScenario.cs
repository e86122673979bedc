using DistTrain.Parallel;
using static TorchSharp.torch;

namespace DistTrain.Distributed.TestWorker.Ddp;

/// <summary>
/// Ranks train in a loop with collectives that time out after 30 s; the last rank kills itself (SIGKILL)
/// at step 5. Every other rank must fail with an error (not hang): it prints it and exits with code 3,
/// which the test expects, skipping the broken group's teardown.
/// </summary>
public sealed class DdpPeerKilledScenario : IScenario
{
    public string Name => "ddp-peer-killed";

    public int Run(string[] args)
    {
        using var context = Worker.Init(TimeSpan.FromSeconds(30));
        var group = context.ProcessGroup;
        int rank = group.rank(), world = group.size();
        using var model = DdpModels.Mlp.Build(800);
        using var ddp = new DistributedDataParallel(model, group);
        using var optimizer = optim.SGD(ddp.parameters(), 0.01);
        manual_seed(801 + rank);
        for (var step = 0; step < 10_000; step++)
        {
            if (rank == world - 1 && step == 5)
            {
                Console.WriteLine($"rank {rank}: killing myself at step {step}");
                Console.Out.Flush();
                System.Diagnostics.Process.GetCurrentProcess().Kill();
            }
            try
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                nn.functional.mse_loss(ddp.call(randn(4, 8)), randn(4, 4)).backward();
                optimizer.step();
            }
            catch (Exception e)
            {
                // Backward fails with TorchSharp's engine error and keeps the reason for the next forward;
                // a failure found by the forward itself (a broadcast) is thrown there directly.
                Console.WriteLine($"rank {rank}: step {step} threw {e.GetType().Name}: {e.Message.Split('\n')[0]}");
                var reason = e.Message;
                if (ddp.LastBackwardFailure is { } kept)
                {
                    var next = Check.Throws<InvalidOperationException>(() => ddp.call(randn(4, 8)), "the forward after the failed backward");
                    Check.That(next.Message == kept, "the next forward raises the kept reason");
                    reason = next.Message;
                }
                Console.WriteLine($"rank {rank}: training failed at step {step}: {reason}");
                Worker.ExitNow(3);
            }
        }
        Console.WriteLine($"rank {rank}: training finished although a peer died");
        return 0;
    }
}
