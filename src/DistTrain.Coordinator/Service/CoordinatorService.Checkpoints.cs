using DistTrain.Protocol.V1;
using Grpc.Core;

namespace DistTrain.Coordinator.Service;

/// <summary>The checkpoints' handlers: <see cref="CheckpointMapping"/> checks and converts, the domain (<c>ICheckpointRegistry</c>) decides.</summary>
internal sealed partial class CoordinatorService
{
    /// <inheritdoc />
    public override Task<BeginCheckpointResponse> BeginCheckpoint(BeginCheckpointRequest request, ServerCallContext context)
    {
        CheckpointMapping.Check(request);
        var attempt = checkpoints.Begin(request.Step, request.WorldSize, request.Rank, request.World);
        return Task.FromResult(new BeginCheckpointResponse
        {
            Attempt = attempt.Id,
            StagingName = attempt.StagingName,
            StagingDirectory = attempt.StagingPath,
            Created = attempt.Created,
        });
    }

    /// <inheritdoc />
    public override Task<ReportCheckpointResponse> ReportCheckpoint(ReportCheckpointRequest request, ServerCallContext context)
    {
        var outcome = checkpoints.Report(CheckpointMapping.RequireAttempt(request.Attempt), CheckpointMapping.ToDomain(request));
        var response = new ReportCheckpointResponse { Committed = outcome.Committed is not null, Checkpoint = outcome.Committed?.ToProto() };
        response.WaitingFor.AddRange(outcome.WaitingFor);
        return Task.FromResult(response);
    }

    /// <inheritdoc />
    public override Task<GetLatestCheckpointResponse> GetLatestCheckpoint(GetLatestCheckpointRequest request, ServerCallContext context)
    {
        var latest = checkpoints.Latest;
        return Task.FromResult(new GetLatestCheckpointResponse { Found = latest is not null, Checkpoint = latest?.ToProto() });
    }
}
