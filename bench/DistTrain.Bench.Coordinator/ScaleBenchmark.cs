using System.Diagnostics;
using DistTrain.Protocol;
using DistTrain.Protocol.V1;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

using GeneratedCoordinator = DistTrain.Protocol.V1.Coordinator;

namespace DistTrain.Bench.Coordinator;

/// <summary>
/// <paramref name="nodes"/> simulated nodes, each with a channel (a TCP connection) of its own as real
/// agents have, join one round of a coordinator in its own process and then heartbeat. Measured: the
/// coordinator's resident memory and CPU time while the joins wait, when the round closed, and over
/// the heartbeats, per node; the time from the last join to every node holding its world; the
/// heartbeat rate. The simulated nodes count the bytes of the world they receive instead of parsing
/// it (node 0 parses it): 10,000 parses of a 10,000-node world would cost this one process more than
/// the coordinator's whole job, where real nodes each parse one. Everything is bounded by
/// <paramref name="limit"/>.
/// </summary>
internal static class ScaleBenchmark
{
    /// <summary><c>Join</c> whose answer is only measured, not parsed.</summary>
    private static readonly Method<JoinRequest, ReceivedBytes> JoinCountingBytes = new(
        MethodType.Unary,
        GeneratedCoordinator.Descriptor.FullName,
        "Join",
        Marshallers.Create(request => request.ToByteArray(), JoinRequest.Parser.ParseFrom),
        Marshallers.Create<ReceivedBytes>(
            (_, _) => throw new NotSupportedException("Only received."),
            context => new ReceivedBytes(context.PayloadLength)));

    public sealed record Result(
        int Nodes, double ConnectSeconds, double ConnectCpuMs, double WaitingCpuMs, double CloseMs, double JoinSeconds, int WorldBytes,
        long IdleBytes, long WaitingBytes, long ClosedBytes, long AfterHeartbeatsBytes,
        double JoinCpuMs, int Heartbeats, double HeartbeatsPerSecond, double HeartbeatP99Ms, double HeartbeatCpuMicroseconds);

    public static async Task<Result> RunAsync(int nodes, int heartbeatRounds, int concurrency, TimeSpan limit)
    {
        using var bound = new CancellationTokenSource(limit);
        var token = bound.Token;
        // Heartbeats every 60 s: the nodes start heartbeating only once all of them hold the world, later than a real node would.
        using var server = await ServerProcess.StartAsync(nodes, heartbeatSeconds: 60);
        var channels = new GrpcChannel[nodes];
        try
        {
            var idle = server.WorkingSetBytes();
            var cpu0 = server.CpuTime();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < nodes; i++)
            {
                channels[i] = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions
                {
                    HttpHandler = new SocketsHttpHandler { UseProxy = false, EnableMultipleHttp2Connections = true },
                    ServiceConfig = CoordinatorServiceConfig.Create(),
                });
            }

            // Connect a few hundred at a time: ten thousand SYNs at once overflow the listen backlog.
            await Parallel.ForEachAsync(channels, new ParallelOptions { MaxDegreeOfParallelism = 256, CancellationToken = token },
                async (channel, ct) => await channel.ConnectAsync(ct));
            var connectSeconds = clock.Elapsed.TotalSeconds;
            var connectCpu = server.CpuTime() - cpu0;
            var clients = channels.Select(c => new CoordinatorClient(c.Intercept(h => { h.Add("authorization", $"Bearer {Server.Token}"); return h; }))).ToArray();

            var joins = new Task<ReceivedBytes>[nodes];
            for (var i = 1; i < nodes; i++)
            {
                var request = new JoinRequest { NodeId = $"node-{i:D5}", LocalWorldSize = 8, Host = $"10.{i / 65536}.{i / 256 % 256}.{i % 256}" };
                joins[i] = clients[i].CallInvoker.AsyncUnaryCall(JoinCountingBytes, null, new CallOptions(cancellationToken: token), request).ResponseAsync;
            }

            await RendezvousBenchmark.WaitForJoinedAsync(clients[0], nodes - 1);
            var waitingCpu = server.CpuTime() - cpu0;
            var waiting = server.WorkingSetBytes();
            var started = Stopwatch.GetTimestamp();
            var world = await clients[0].JoinAsync("node-00000", 8, "10.0.0.0", cancellationToken: token);
            joins[0] = Task.FromResult(new ReceivedBytes(new JoinResponse { World = world }.CalculateSize()));
            var sizes = (await Task.WhenAll(joins)).Select(r => r.Length).ToArray();
            var closeMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var joinSeconds = clock.Elapsed.TotalSeconds;
            var joinCpu = server.CpuTime() - cpu0;
            var closed = server.WorkingSetBytes();
            if (world.Nodes.Count != nodes || sizes.Any(s => s != sizes[0]))
            {
                throw new InvalidOperationException($"The nodes did not all receive the same {nodes}-node world ({world.Nodes.Count} nodes; sizes {sizes.Min()}..{sizes.Max()} bytes).");
            }

            var cpu1 = server.CpuTime();
            var beats = new LatencyStats();
            var beatClock = Stopwatch.StartNew();
            for (var round = 0; round < heartbeatRounds; round++)
            {
                var perNode = new long[nodes];
                await Parallel.ForEachAsync(Enumerable.Range(0, nodes), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = token }, async (i, ct) =>
                {
                    var sent = Stopwatch.GetTimestamp();
                    var answer = await clients[i].HeartbeatAsync($"node-{i:D5}", world.Round, cancellationToken: ct);
                    perNode[i] = answer.RejoinRequired ? -1 : Stopwatch.GetTimestamp() - sent;
                });
                if (perNode.Any(t => t < 0))
                {
                    throw new InvalidOperationException("A member of the closed round was told to join again.");
                }

                foreach (var ticks in perNode)
                {
                    beats.Add(ticks);
                }
            }

            var beatSeconds = beatClock.Elapsed.TotalSeconds;
            var beatCpu = server.CpuTime() - cpu1;
            return new Result(
                nodes, connectSeconds, connectCpu.TotalMilliseconds, waitingCpu.TotalMilliseconds, closeMs, joinSeconds, sizes[0], idle, waiting, closed, server.WorkingSetBytes(),
                joinCpu.TotalMilliseconds, beats.Count, beats.Count / beatSeconds, beats.PercentileMs(99), beatCpu.TotalMicroseconds / beats.Count);
        }
        finally
        {
            foreach (var channel in channels)
            {
                channel?.Dispose();
            }
        }
    }

    /// <summary>The size of a response that was received and not parsed.</summary>
    private sealed record ReceivedBytes(int Length);
}
