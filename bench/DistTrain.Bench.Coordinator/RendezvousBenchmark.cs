using System.Diagnostics;
using DistTrain.Coordinator.Rendezvous;
using Microsoft.Extensions.DependencyInjection;

namespace DistTrain.Bench.Coordinator;

/// <summary>
/// <paramref name="nodes"/> simulated nodes join one round (MIN = MAX = nodes, so it closes at the
/// last join). Measured: from the moment the last node sends its join (all others are already
/// waiting on the coordinator) until every node holds its world.
/// </summary>
internal static class RendezvousBenchmark
{
    public static async Task<(double[] WallMs, double[] CpuMs)> RunAsync(int nodes, int repetitions, int channels)
    {
        var results = new double[repetitions];
        var cpu = new double[repetitions];
        for (var rep = 0; rep < repetitions; rep++)
        {
            await using var server = await Server.StartAsync(nodes, nodes);
            var clients = Server.Clients(server.Address.ToString(), channels);
            var rendezvous = server.Services.GetRequiredService<IRendezvous>();
            try
            {
                var joins = new Task<DistTrain.Protocol.V1.World>[nodes];
                for (var i = 0; i < nodes - 1; i++)
                {
                    joins[i] = clients[i % channels].JoinAsync($"node-{i:D4}", 8, $"10.0.{i / 256}.{i % 256}");
                }

                while (rendezvous.Current.JoinedNodes < nodes - 1)
                {
                    await Task.Delay(5);
                }

                var cpuBefore = Machine.CpuTime();
                var started = Stopwatch.GetTimestamp();
                joins[nodes - 1] = clients[0].JoinAsync($"node-{nodes - 1:D4}", 8, "10.0.255.255");
                var worlds = await Task.WhenAll(joins);
                var elapsed = Stopwatch.GetElapsedTime(started);
                cpu[rep] = (Machine.CpuTime() - cpuBefore).TotalMilliseconds;

                if (worlds.Any(w => w.Nodes.Count != nodes || w.WorldSize != nodes * 8 || w.Round != worlds[0].Round))
                {
                    throw new InvalidOperationException("The nodes did not all receive the same complete world.");
                }

                results[rep] = elapsed.TotalMilliseconds;
                Console.WriteLine(
                    $"  rendezvous {rep + 1}/{repetitions}: {nodes} nodes, last join → all ranks held in {elapsed.TotalMilliseconds:F1} ms " +
                    $"(CPU {cpu[rep]:F0} ms, load {Machine.LoadAverage()})");
            }
            finally
            {
                foreach (var client in clients)
                {
                    client.Dispose();
                }
            }
        }

        return (results, cpu);
    }
}
