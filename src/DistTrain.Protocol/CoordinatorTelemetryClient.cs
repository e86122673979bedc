using DistTrain.Protocol.V1;

namespace DistTrain.Protocol;

/// <summary>
/// The coordinator's telemetry (telemetry.proto): a rank's periodic summary, its last words, and the
/// job's live view. Each call returns once the coordinator answered or <c>timeout</c> passed
/// (DEADLINE_EXCEEDED); reports and failures are not retried (the next report replaces a lost one; a
/// repeated failure would be counted twice), <c>GetTelemetry</c> is. Obtain one with
/// <see cref="CoordinatorClient.Telemetry"/>. Failures surface as <see cref="Grpc.Core.RpcException"/>.
/// </summary>
public sealed class CoordinatorTelemetryClient
{
    private readonly Coordinator.CoordinatorClient _stub;

    internal CoordinatorTelemetryClient(CoordinatorClient client) => _stub = client.Stub;

    /// <summary>Sends a rank's summary; returns the interval between reports the coordinator asks for.</summary>
    public async Task<TimeSpan> ReportAsync(RankTelemetry report, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var response = await _stub.ReportTelemetryAsync(new ReportTelemetryRequest { Report = report }, CoordinatorClient.Options(timeout, cancellationToken)).ConfigureAwait(false);
        return TimeSpan.FromMilliseconds(response.IntervalMs);
    }

    /// <summary>Sends a rank's last words.</summary>
    public async Task ReportFailureAsync(RankFailure failure, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        await _stub.ReportFailureAsync(new ReportFailureRequest { Failure = failure }, CoordinatorClient.Options(timeout, cancellationToken)).ConfigureAwait(false);

    /// <summary>The job's live view: every rank's latest summary and health, throughput, at most <paramref name="maxHistory"/> history points and the failures.</summary>
    public Task<GetTelemetryResponse> GetAsync(int maxHistory = 0, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        _stub.GetTelemetryAsync(new GetTelemetryRequest { MaxHistory = maxHistory }, CoordinatorClient.Options(timeout, cancellationToken)).ResponseAsync;
}
