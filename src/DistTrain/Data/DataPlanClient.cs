using DistTrain.Distributed;
using DistTrain.Protocol;
using DistTrain.Protocol.DataPlan;
using DistTrain.Protocol.Launch;
using DistTrain.Protocol.V1;
using Grpc.Core;

namespace DistTrain.Data;

/// <summary>
/// A worker's side of the coordinator's data plans: registers a dataset's plan (every rank registers
/// the same one; the first creates it), reads the committed position, and gives a
/// <see cref="DataPlanSampler"/> for this rank that starts there. The coordinator keeps only the plan
/// and the position; the ids are computed here. Thread-safe; each call is one RPC that returns at once.
/// </summary>
public sealed class DataPlanClient : IDisposable
{
    private readonly CoordinatorClient _client;
    private readonly bool _ownsClient;

    /// <summary>
    /// A client over <paramref name="client"/> for rank <paramref name="rank"/> of <paramref name="worldSize"/>;
    /// the caller keeps owning <paramref name="client"/>. The samplers check the rank and the world size.
    /// </summary>
    public DataPlanClient(CoordinatorClient client, int worldSize, int rank)
        : this(client, worldSize, rank, ownsClient: false)
    {
    }

    private DataPlanClient(CoordinatorClient client, int worldSize, int rank, bool ownsClient)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _ownsClient = ownsClient;
        WorldSize = worldSize;
        Rank = rank;
    }

    /// <summary>Ranks in the world the samplers split the data over.</summary>
    public int WorldSize { get; }

    /// <summary>This rank.</summary>
    public int Rank { get; }

    /// <summary>
    /// A client of the coordinator that <c>disttrain run</c> named in this worker's environment
    /// (DISTTRAIN_COORDINATOR, DISTTRAIN_JOB_TOKEN), for its RANK in its WORLD_SIZE.
    /// </summary>
    /// <exception cref="LaunchEnvironmentException">The environment names no coordinator (the program was not started by <c>disttrain run</c>), or a variable is invalid.</exception>
    public static DataPlanClient FromEnvironment(LaunchEnvironment? environment = null)
    {
        environment ??= LaunchEnvironment.FromEnvironment();
        if (environment.Coordinator is null || environment.JobToken is null)
            throw new LaunchEnvironmentException(LaunchVariables.Coordinator.Name, "The launch environment names no coordinator, which holds the data plan: start the program with `disttrain run`.");
        var client = new CoordinatorClient(environment.Coordinator.ToString(), environment.JobToken);
        return new DataPlanClient(client, environment.WorldSize, environment.Rank, ownsClient: true);
    }

    /// <summary>
    /// Registers the plan of dataset <paramref name="name"/> (or finds the equal one registered) and
    /// returns this rank's sampler, starting at the committed position.
    /// </summary>
    /// <param name="name">The dataset's name in the job, for example "train".</param>
    /// <param name="plan">Its seed, size and global batch (ids per step over all ranks, at least the world size).</param>
    /// <param name="unit">What its ids name: samples, or shards (files) for data larger than memory.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="DataPlanException">The coordinator refused (another plan under the name, a field that breaks a rule) or cannot be reached; the message says which.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The world is larger than the global batch.</exception>
    public async Task<DataPlanSampler> SamplerAsync(string name, DataPlanSpec plan, DataUnit unit = DataUnit.Samples, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var dataset = new DatasetPlan { Name = name, Seed = plan.Seed, Size = plan.Size, GlobalBatch = plan.GlobalBatch, Shuffle = plan.Shuffle, Unit = unit };
        var response = await Call("register", name, () => _client.DataPlans.RegisterAsync(dataset, cancellationToken)).ConfigureAwait(false);
        return new DataPlanSampler(response.State.Dataset.ToSpec(), WorldSize, Rank, response.State.Position.ToPosition());
    }

    /// <summary>The committed position of dataset <paramref name="name"/>.</summary>
    /// <exception cref="DataPlanException">The dataset is not registered, or the coordinator cannot be reached.</exception>
    public async Task<PlanPosition> PositionAsync(string name, CancellationToken cancellationToken = default)
    {
        var state = await Call("get", name, () => _client.DataPlans.GetAsync(name, cancellationToken)).ConfigureAwait(false);
        return state.Position.ToPosition();
    }

    /// <summary>
    /// Commits <paramref name="position"/> (a sampler's <see cref="DataPlanSampler.Position"/>) as the point
    /// of dataset <paramref name="name"/> every later world starts from. Call it once every rank trained up
    /// to it (checkpoints do); committing the same position twice is harmless.
    /// </summary>
    /// <returns>The committed position (a complete epoch reads as the next one's start).</returns>
    /// <exception cref="DataPlanException">The position is behind the committed one or outside the dataset, the dataset is not registered, or the coordinator cannot be reached.</exception>
    public async Task<PlanPosition> CommitAsync(string name, PlanPosition position, CancellationToken cancellationToken = default)
    {
        var state = await Call("commit", name, () => _client.DataPlans.CommitAsync(name, position, cancellationToken)).ConfigureAwait(false);
        return state.Position.ToPosition();
    }

    /// <summary>Closes the connection if this client opened it.</summary>
    public void Dispose()
    {
        if (_ownsClient) _client.Dispose();
    }

    private static async Task<T> Call<T>(string operation, string name, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw new DataPlanException($"The coordinator's data plan {operation} of dataset '{name}' failed: {e.StatusCode}: {e.Status.Detail}", e);
        }
    }
}
