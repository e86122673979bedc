using System.Net;
using DistTrain.Protocol;
using DistTrain.Torch;
using DistTrain.Torch.Distributed;

namespace DistTrain.Distributed;

/// <summary>
/// A worker's place in the job: who it is (<see cref="Environment"/>), the device it computes on,
/// and the default process group, bootstrapped through the coordinator's store (or a TCPStore on
/// MASTER_ADDR:MASTER_PORT without a coordinator). One per process: <see cref="Current"/>.
/// </summary>
public sealed class DistributedContext : IDisposable
{
    private static DistributedContext? _current;
    private readonly CoordinatorClient? _client;
    private readonly IDisposable? _ownedStore;

    private DistributedContext(LaunchEnvironment environment, torch.Device device, Store store, ProcessGroup group, CoordinatorClient? client, IDisposable? ownedStore)
    {
        Environment = environment;
        Device = device;
        Store = store;
        ProcessGroup = group;
        _client = client;
        _ownedStore = ownedStore;
    }

    /// <summary>The context of this process, or null before <see cref="Initialize(DistributedOptions?)"/> and after disposal.</summary>
    public static DistributedContext? Current => Volatile.Read(ref _current);

    /// <summary>The launcher's environment this context was built from.</summary>
    public LaunchEnvironment Environment { get; }

    /// <summary>The device this rank computes on (its GPU, or the CPU).</summary>
    public torch.Device Device { get; }

    /// <summary>The store the process group bootstrapped through (the coordinator's, or a TCPStore).</summary>
    public Store Store { get; }

    /// <summary>The default process group: every rank of the job.</summary>
    public ProcessGroup ProcessGroup { get; }

    /// <summary>This worker's global rank.</summary>
    public int Rank => Environment.Rank;

    /// <summary>The number of workers.</summary>
    public int WorldSize => Environment.WorldSize;

    /// <summary>This worker's rank on its node.</summary>
    public int LocalRank => Environment.LocalRank;

    /// <summary>Whether this is rank 0.</summary>
    public bool IsMaster => Rank == 0;

    /// <summary>Builds the context from the process's environment (see docs/ENVIRONMENT.md).</summary>
    /// <exception cref="LaunchEnvironmentException">A variable is missing or invalid.</exception>
    /// <exception cref="InvalidOperationException">A context already exists in this process.</exception>
    public static DistributedContext Initialize(DistributedOptions? options = null) => Initialize(LaunchEnvironment.FromEnvironment(), options);

    /// <summary>
    /// Builds the context from <paramref name="environment"/>: picks the device and backend, pins the
    /// rank to its GPU, sets the intra-op threads, opens the store and creates the process group
    /// (blocking until every rank joined, at most <see cref="DistributedOptions.StoreTimeout"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">A context already exists in this process.</exception>
    /// <exception cref="TorchException">The process group could not be created (the message says why: a store timeout names the keys).</exception>
    public static DistributedContext Initialize(LaunchEnvironment environment, DistributedOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        options ??= new DistributedOptions();
        if (Current is not null)
        {
            throw new InvalidOperationException("The distributed context is already initialized in this process; dispose it before initializing again.");
        }

        var device = options.Device ?? DefaultDevice(environment.LocalRank, torch.cuda.is_available() ? torch.cuda.device_count() : 0);
        var backend = options.Backend ?? (device.type == DeviceType.CUDA ? Backend.Nccl : Backend.Gloo);
        if (device.type == DeviceType.CUDA) ProcessGroup.set_device(device);
        torch.set_num_threads(options.IntraOpThreads ?? environment.OmpNumThreads ?? Math.Max(1, System.Environment.ProcessorCount / environment.LocalWorldSize));

        CoordinatorClient? client = null;
        IDisposable? owned = null;
        try
        {
            Store store;
            if (environment.Coordinator is { } coordinator)
            {
                client = new CoordinatorClient(coordinator.ToString(), environment.JobToken!);
                store = new CoordinatorStore(client, environment.StoreNamespace!) { Timeout = options.StoreTimeout };
            }
            else
            {
                var tcp = new TCPStore(environment.MasterAddr!, environment.MasterPort!.Value, environment.WorldSize, isServer: environment.Rank == 0, options.StoreTimeout);
                owned = tcp;
                store = tcp;
            }

            var group = backend == Backend.Nccl
                ? ProcessGroup.Nccl(store, environment.Rank, environment.WorldSize, options.Timeout)
                : ProcessGroup.Gloo(store, environment.Rank, environment.WorldSize, new GlooOptions
                {
                    Timeout = options.Timeout,
                    NetworkInterface = environment.GlooSocketInterface,
                    Hostname = GlooHostname(environment),
                    LocalAllReduce = environment.LocalAllReduce,
                });
            var context = new DistributedContext(environment, device, store, group, client, owned);
            if (Interlocked.CompareExchange(ref _current, context, null) is not null)
            {
                context.Dispose();
                throw new InvalidOperationException("The distributed context was initialized concurrently by another thread.");
            }

            return context;
        }
        catch
        {
            owned?.Dispose();
            client?.Dispose();
            throw;
        }
    }

    /// <summary>Releases the process group, the store and the coordinator connection.</summary>
    public void Dispose()
    {
        Interlocked.CompareExchange(ref _current, null, this);
        ProcessGroup.Dispose();
        _ownedStore?.Dispose();
        _client?.Dispose();
    }

    /// <summary>
    /// The CPU without GPUs; the only GPU when the worker sees one (the launcher gives each worker its
    /// own through CUDA_VISIBLE_DEVICES); else GPU LOCAL_RANK, as torchrun's workers use.
    /// </summary>
    /// <exception cref="LaunchEnvironmentException">LOCAL_RANK names a GPU this worker does not see.</exception>
    internal static torch.Device DefaultDevice(int localRank, int visibleGpus)
    {
        if (visibleGpus == 0) return torch.CPU;
        if (visibleGpus == 1) return torch.CUDA(0);
        if (localRank < visibleGpus) return torch.CUDA(localRank);
        throw new LaunchEnvironmentException(EnvironmentVariables.LocalRank,
            $"LOCAL_RANK is {localRank} but this worker sees only {visibleGpus} GPUs: run at most one worker per GPU (--nproc-per-node), or give each worker its GPU through CUDA_VISIBLE_DEVICES.");
    }

    // On one node reached through loopback, Gloo binds loopback; otherwise the host name's address.
    private static string? GlooHostname(LaunchEnvironment environment)
    {
        var peer = environment.Coordinator?.Host ?? environment.MasterAddr;
        var singleNode = environment.LocalWorldSize == environment.WorldSize;
        return singleNode && peer is not null && IsLoopback(peer) ? "127.0.0.1" : null;
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
}
