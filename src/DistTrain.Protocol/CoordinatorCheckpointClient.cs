using DistTrain.Protocol.V1;

namespace DistTrain.Protocol;

/// <summary>
/// The coordinator's checkpoint registry (checkpoint.proto): begin a checkpoint, report what a rank
/// wrote (the last report commits), read the latest committed checkpoint. Each call returns once the
/// coordinator answered; a completing report waits for the commit's fsyncs and renames. Obtain one with
/// <see cref="CoordinatorClient.Checkpoints"/>. Failures surface as <see cref="Grpc.Core.RpcException"/>
/// with the coordinator's status and message (FAILED_PRECONDITION when it has no checkpoint directory).
/// </summary>
public sealed class CoordinatorCheckpointClient
{
    private readonly Coordinator.CoordinatorClient _stub;

    internal CoordinatorCheckpointClient(CoordinatorClient client) => _stub = client.Stub;

    /// <summary>
    /// Opens, or joins, the attempt to checkpoint <paramref name="step"/> for rank <paramref name="rank"/> of a world of
    /// <paramref name="worldSize"/>; <paramref name="world"/> names the world instance (the round's store namespace). Not retried.
    /// </summary>
    public Task<BeginCheckpointResponse> BeginAsync(long step, int worldSize, int rank, string world = "", CancellationToken cancellationToken = default) =>
        _stub.BeginCheckpointAsync(new BeginCheckpointRequest { Step = step, WorldSize = worldSize, Rank = rank, World = world }, CoordinatorClient.Options(null, cancellationToken)).ResponseAsync;

    /// <summary>Reports one rank's files, generator states and progress; the report that completes the attempt commits it (ABORTED when that fails).</summary>
    public Task<ReportCheckpointResponse> ReportAsync(ReportCheckpointRequest report, CancellationToken cancellationToken = default) =>
        _stub.ReportCheckpointAsync(report, CoordinatorClient.Options(null, cancellationToken)).ResponseAsync;

    /// <summary>The latest committed checkpoint, or null when there is none.</summary>
    public async Task<CheckpointInfo?> LatestAsync(CancellationToken cancellationToken = default)
    {
        var response = await _stub.GetLatestCheckpointAsync(new GetLatestCheckpointRequest(), CoordinatorClient.Options(null, cancellationToken)).ConfigureAwait(false);
        return response.Found ? response.Checkpoint : null;
    }
}
