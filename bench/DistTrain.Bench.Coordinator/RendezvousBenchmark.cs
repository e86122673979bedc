using System.Diagnostics;
using DistTrain.Protocol;
using DistTrain.Protocol.V1;

namespace DistTrain.Bench.Coordinator;

/// <summary>
/// <paramref name="nodes"/> simulated nodes rendezvous with a coordinator in its own process
/// (MIN = MAX = nodes, so a round closes at its last join), round after round: every node joins
/// again with the round it holds. Measured: from the moment the last node sends its join (all the
/// others already wait on the coordinator) until every node holds its world. The first rounds warm
/// the JIT (tiering takes several rounds of this size) and are reported apart: the first of them is
/// what the first round of a freshly started job costs.
/// </summary>
internal static class RendezvousBenchmark
{
    public sealed record Run(double WallMs, double ServerCpuMs, double ClientCpuMs);

    public static async Task<(Run Cold, Run[] Warm)> RunAsync(int nodes, int warmupRounds, int repetitions, int channels)
    {
        using var server = await ServerProcess.StartAsync(nodes);
        var clients = Server.Clients(server.Address, channels);
        var runs = new List<Run>();
        Run? cold = null;
        try
        {
            ulong known = 0;
            for (var round = 0; round < warmupRounds + repetitions; round++)
            {
                var joins = new Task<World>[nodes];
                for (var i = 0; i < nodes - 1; i++)
                {
                    joins[i] = clients[i % channels].JoinAsync($"node-{i:D4}", 8, $"10.0.{i / 256}.{i % 256}", known);
                }

                await WaitForJoinedAsync(clients[0], nodes - 1);

                var serverCpu = server.CpuTime();
                var clientCpu = Machine.CpuTime();
                var started = Stopwatch.GetTimestamp();
                joins[nodes - 1] = clients[0].JoinAsync($"node-{nodes - 1:D4}", 8, "10.0.255.255", known);
                var worlds = await Task.WhenAll(joins);
                var run = new Run(
                    Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                    (server.CpuTime() - serverCpu).TotalMilliseconds,
                    (Machine.CpuTime() - clientCpu).TotalMilliseconds);

                if (worlds.Any(w => w.Nodes.Count != nodes || w.WorldSize != nodes * 8 || w.Round != worlds[0].Round))
                {
                    throw new InvalidOperationException("The nodes did not all receive the same complete world.");
                }

                known = worlds[0].Round;
                cold ??= run;
                var counted = round >= warmupRounds;
                if (counted)
                {
                    runs.Add(run);
                }

                Console.WriteLine(
                    $"  round {known}{(counted ? "" : " (warm-up)")}: {nodes} nodes, last join → all ranks held in {run.WallMs:F1} ms " +
                    $"(CPU: server {run.ServerCpuMs:F0} ms, clients {run.ClientCpuMs:F0} ms; load {Machine.LoadAverage()})");
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }

        return (cold!, [.. runs]);
    }

    // The coordinator's own view, from the snapshot every Watch stream starts with.
    internal static async Task WaitForJoinedAsync(CoordinatorClient client, int joined)
    {
        while (true)
        {
            await foreach (var first in client.WatchAsync())
            {
                if (first.Snapshot.State == RoundState.Open && first.Snapshot.JoinedNodes >= joined)
                {
                    return;
                }

                break;
            }

            await Task.Delay(5);
        }
    }
}
