using System.Net;
using DistTrain.Protocol;
using DistTrain.Protocol.Launch;
using DistTrain.Runtime;
using DistTrain.Telemetry;
using TorchSharp;

namespace DistTrain.Distributed;

/// <summary>
/// A worker's place in the job: who it is (<see cref="Environment"/>), the device it computes on,
/// and the default process group, bootstrapped through the coordinator's store. One per process:
/// <see cref="Current"/>.
/// </summary>
public sealed class DistributedContext : IDisposable
{
    private static DistributedContext? _current;
    private readonly CoordinatorClient _client;

    private DistributedContext(LaunchEnvironment environment, torch.Device device, Store store, ProcessGroup group, CoordinatorClient client, int threads, int mallocTuning)
    {
        Environment = environment;
        Device = device;
        Store = store;
        ProcessGroup = group;
        _client = client;
        IntraOpThreads = threads;
        MallocTuning = mallocTuning;
    }

    /// <summary>The context of this process, or null before <see cref="Initialize(DistributedOptions?)"/> and after disposal.</summary>
    public static DistributedContext? Current => Volatile.Read(ref _current);

    /// <summary>The coordinator connection (the store's, also telemetry's and the data plan's).</summary>
    internal CoordinatorClient Coordinator => _client;

    /// <summary>The launcher's environment this context was built from.</summary>
    public LaunchEnvironment Environment { get; }

    /// <summary>The device this rank computes on (its GPU, or the CPU).</summary>
    public torch.Device Device { get; }

    /// <summary>The coordinator's store the process group bootstrapped through.</summary>
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

    /// <summary>The intra-op threads this rank computes with (<c>torch.set_num_threads</c>).</summary>
    public int IntraOpThreads { get; }

    /// <summary>What was changed in glibc malloc (bit 0: mmap threshold, bit 1: trim threshold; 0: nothing, see <see cref="DistributedOptions.TuneMalloc"/>).</summary>
    public int MallocTuning { get; }

    /// <summary>Builds the context from the process's environment (see docs/ENVIRONMENT.md).</summary>
    /// <exception cref="LaunchEnvironmentException">A variable is missing or invalid.</exception>
    /// <exception cref="TorchSharpLoadException">TorchSharp's native library cannot be loaded here (the message says why and what to do).</exception>
    /// <exception cref="InvalidOperationException">A context already exists in this process.</exception>
    public static DistributedContext Initialize(DistributedOptions? options = null) => Initialize(LaunchEnvironment.FromEnvironment(), options);

    /// <summary>
    /// Builds the context from <paramref name="environment"/>: makes an unhandled exception record the
    /// process's last words (<see cref="LastWords"/>) from here on, loads TorchSharp, tunes malloc, sets the
    /// intra-op threads, picks the device and backend, and creates the process group through the
    /// coordinator's store (blocking until every rank joined, each store wait at most
    /// <see cref="DistributedOptions.StoreTimeout"/>).
    /// </summary>
    /// <exception cref="TorchSharpLoadException">TorchSharp's native library cannot be loaded here.</exception>
    /// <exception cref="InvalidOperationException">A context already exists in this process.</exception>
    /// <exception cref="DistributedException">The process group could not be created (the message says why: a store timeout names the keys).</exception>
    public static DistributedContext Initialize(LaunchEnvironment environment, DistributedOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        options ??= new DistributedOptions();
        LastWords.InstallUnhandledExceptionHandler();
        if (Current is not null)
            throw new InvalidOperationException("The distributed context is already initialized in this process; dispose it before initializing again.");
        if (environment.Coordinator is null || environment.JobToken is null || environment.StoreNamespace is null)
            throw new LaunchEnvironmentException(LaunchVariables.Coordinator.Name, "The launch environment names no coordinator: start the program with `disttrain run`.");

        if (environment.AgentPid is { } agentPid)
            AgentWatch.Start(agentPid, environment.Rank);

        TorchSharpRuntime.EnsureLoaded();
        var malloc = options.TuneMalloc ? Runtime.MallocTuning.Apply() : 0;
        var threads = WorkerThreads.IntraOp(options.IntraOpThreads, environment.OmpNumThreads, System.Environment.ProcessorCount, environment.LocalWorldSize);
        torch.set_num_threads(threads);
        var device = options.Device ?? DefaultDevice(environment.LocalRank, torch.cuda.is_available() ? torch.cuda.device_count() : 0);
        var backend = options.Backend ?? (device.type == DeviceType.CUDA ? Backend.Nccl : Backend.Gloo);

        var client = new CoordinatorClient(environment.Coordinator.ToString(), environment.JobToken);
        try
        {
            var store = new CoordinatorStore(client, environment.StoreNamespace) { Timeout = options.StoreTimeout };
            var group = backend == Backend.Nccl
                ? ProcessGroup.Nccl(store, environment.Rank, environment.WorldSize, device, options.Timeout)
                : ProcessGroup.Gloo(store, environment.Rank, environment.WorldSize, new GlooOptions
                {
                    Timeout = options.Timeout,
                    StoreTimeout = options.StoreTimeout,
                    NetworkInterface = environment.GlooSocketInterface,
                    Hostname = GlooHostname(environment),
                    LocalAllReduce = environment.LocalAllReduce,
                });
            TrainingPosition.ReadCollectiveFrom(group);
            var context = new DistributedContext(environment, device, store, group, client, threads, malloc);
            if (Interlocked.CompareExchange(ref _current, context, null) is not null)
            {
                context.Dispose();
                throw new InvalidOperationException("The distributed context was initialized concurrently by another thread.");
            }

            return context;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Releases the process group and the coordinator connection.</summary>
    public void Dispose()
    {
        Interlocked.CompareExchange(ref _current, null, this);
        ProcessGroup.Dispose();
        _client.Dispose();
    }

    /// <summary>
    /// The CPU without GPUs; the only GPU when the worker sees one (the launcher gives each worker its
    /// own through CUDA_VISIBLE_DEVICES); else GPU LOCAL_RANK, as torchrun's workers use.
    /// </summary>
    /// <exception cref="LaunchEnvironmentException">LOCAL_RANK names a GPU this worker does not see.</exception>
    internal static torch.Device DefaultDevice(int localRank, int visibleGpus)
    {
        if (visibleGpus == 0) return torch.CPU;
        if (visibleGpus == 1) return new torch.Device(DeviceType.CUDA, 0);
        if (localRank < visibleGpus) return new torch.Device(DeviceType.CUDA, localRank);
        throw new LaunchEnvironmentException(LaunchVariables.LocalRank.Name,
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
