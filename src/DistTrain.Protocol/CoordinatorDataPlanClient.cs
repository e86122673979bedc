using DistTrain.Protocol.DataPlan;
using DistTrain.Protocol.V1;

namespace DistTrain.Protocol;

/// <summary>
/// The coordinator's data plans (data_plan.proto): register a dataset's plan, read it and its
/// committed position, commit a new position. Each call returns at once; every one is safe to
/// retry (<see cref="CoordinatorServiceConfig"/>). Obtain one with <see cref="CoordinatorClient.DataPlans"/>.
/// Failures surface as <see cref="Grpc.Core.RpcException"/> with the coordinator's status and message.
/// </summary>
public sealed class CoordinatorDataPlanClient
{
    private readonly Coordinator.CoordinatorClient _stub;

    internal CoordinatorDataPlanClient(CoordinatorClient client) => _stub = client.Stub;

    /// <summary>
    /// Registers <paramref name="dataset"/>, or gets the state of the equal plan registered under its
    /// name (FAILED_PRECONDITION for a different one).
    /// </summary>
    public Task<RegisterDatasetResponse> RegisterAsync(DatasetPlan dataset, CancellationToken cancellationToken = default) =>
        _stub.RegisterDatasetAsync(new RegisterDatasetRequest { Dataset = dataset }, CoordinatorClient.Options(null, cancellationToken)).ResponseAsync;

    /// <summary>The plan registered as <paramref name="name"/> and its committed position (NOT_FOUND for an unknown name).</summary>
    public async Task<DataPlanState> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        var response = await _stub.GetDataPlanAsync(new GetDataPlanRequest { Name = name }, CoordinatorClient.Options(null, cancellationToken)).ConfigureAwait(false);
        return response.State;
    }

    /// <summary>
    /// Moves the committed position of <paramref name="name"/> to <paramref name="position"/> (a complete
    /// epoch becomes the next one's start); returns the state after it. FAILED_PRECONDITION for a position
    /// before the committed one.
    /// </summary>
    public async Task<DataPlanState> CommitAsync(string name, PlanPosition position, CancellationToken cancellationToken = default)
    {
        var request = new CommitDataPlanRequest { Name = name, Position = new DataPlanPosition { Epoch = position.Epoch, Consumed = position.Consumed } };
        var response = await _stub.CommitDataPlanAsync(request, CoordinatorClient.Options(null, cancellationToken)).ConfigureAwait(false);
        return response.State;
    }
}
