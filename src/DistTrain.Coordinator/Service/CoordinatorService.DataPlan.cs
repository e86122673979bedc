using DistTrain.Protocol.V1;
using Grpc.Core;

namespace DistTrain.Coordinator.Service;

/// <summary>The data plan's handlers: <see cref="DataPlanMapping"/> checks and converts, the domain (<c>IDataPlans</c>) decides.</summary>
internal sealed partial class CoordinatorService
{
    /// <inheritdoc />
    public override Task<RegisterDatasetResponse> RegisterDataset(RegisterDatasetRequest request, ServerCallContext context)
    {
        var registration = dataPlans.Register(DataPlanMapping.ToDomain(request.Dataset));
        return Task.FromResult(new RegisterDatasetResponse { State = registration.State.ToProto(), Created = registration.Created });
    }

    /// <inheritdoc />
    public override Task<GetDataPlanResponse> GetDataPlan(GetDataPlanRequest request, ServerCallContext context) =>
        Task.FromResult(new GetDataPlanResponse { State = dataPlans.Get(DataPlanMapping.RequireName(request.Name)).ToProto() });

    /// <inheritdoc />
    public override Task<CommitDataPlanResponse> CommitDataPlan(CommitDataPlanRequest request, ServerCallContext context)
    {
        var state = dataPlans.Commit(DataPlanMapping.RequireName(request.Name), DataPlanMapping.ToDomain(request.Position));
        return Task.FromResult(new CommitDataPlanResponse { State = state.ToProto() });
    }
}
