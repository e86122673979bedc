using DistTrain.Coordinator.Tests.Support;
using DistTrain.Protocol.V1;
using Grpc.Core;
using static DistTrain.Coordinator.Tests.Support.Reports;

namespace DistTrain.Coordinator.Tests.Service;

/// <summary>The telemetry rpcs through a real server: reports and failures go in, GetTelemetry and /metrics show them, bad input is INVALID_ARGUMENT naming the field.</summary>
public sealed class TelemetryServiceTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Reports_and_failures_sent_over_grpc_appear_in_GetTelemetry_and_the_report_interval_is_answered()
    {
        var telemetry = _server.Client().Telemetry;

        var interval = await telemetry.ReportAsync(Report(0, 1, step: 12, loss: 0.5));
        await telemetry.ReportAsync(Report(1, 1, step: 11));
        await telemetry.ReportFailureAsync(Failure(1, "the data loader threw"));
        var view = await telemetry.GetAsync(maxHistory: 5);

        Assert.Equal(TimeSpan.FromSeconds(1), interval);
        Assert.Equal([(0, 12L, RankHealth.Healthy), (1, 11L, RankHealth.Failed)], view.Ranks.Select(r => (r.Latest.Identity.Rank, r.Latest.Step, r.Health)));
        Assert.Equal("the data loader threw", Assert.Single(view.Failures).Message);
        Assert.Equal(12, Assert.Single(view.History).Step);
    }

    public static TheoryData<string, string> BadReports => new()
    {
        { "no report", "report must be set" },
        { "no identity", "report.identity must be set" },
        { "rank outside the world", "report.identity.rank (2) must be in [0, 1] (world_size 2)" },
        { "world size 0", "report.identity.world_size (0) must be at least 1" },
        { "no pid", "report.identity.pid (0) must be the worker's process id" },
        { "sequence 0", "report.report_sequence (0) must be at least 1" },
        { "negative step", "report.step (-1) must not be negative" },
        { "negative window", "report.window_seconds (-1) must be a finite, non-negative number of seconds" },
        { "NaN phase", "report.phases.backward (NaN) must be a finite, non-negative number of seconds" },
        { "infinite loss", "report.loss (Infinity) must be a finite number when has_loss is set" },
    };

    [Theory]
    [MemberData(nameof(BadReports))]
    public async Task A_bad_report_is_invalid_argument_naming_the_field(string what, string message)
    {
        var report = Report(0, 1);
        var request = new ReportTelemetryRequest { Report = report };
        switch (what)
        {
            case "no report": request.Report = null; break;
            case "no identity": report.Identity = null; break;
            case "rank outside the world": report.Identity.Rank = 2; break;
            case "world size 0": report.Identity.WorldSize = 0; break;
            case "no pid": report.Identity.Pid = 0; break;
            case "sequence 0": report.ReportSequence = 0; break;
            case "negative step": report.Step = -1; break;
            case "negative window": report.WindowSeconds = -1; break;
            case "NaN phase": report.Phases.Backward = double.NaN; break;
            case "infinite loss": (report.Loss, report.HasLoss) = (double.PositiveInfinity, true); break;
        }

        var stub = new DistTrain.Protocol.V1.Coordinator.CoordinatorClient(_server.Client().CallInvoker);
        var error = await Assert.ThrowsAsync<RpcException>(() => stub.ReportTelemetryAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith(message, error.Status.Detail);
        Assert.Empty((await _server.Client().Telemetry.GetAsync()).Ranks);
    }

    [Fact]
    public async Task A_failure_without_identity_or_words_is_invalid_argument_naming_the_field()
    {
        var telemetry = _server.Client().Telemetry;
        var silent = Failure(0, "");
        silent.ExceptionType = "";

        var noIdentity = await Assert.ThrowsAsync<RpcException>(() => telemetry.ReportFailureAsync(new RankFailure { Message = "x" }));
        var noWords = await Assert.ThrowsAsync<RpcException>(() => telemetry.ReportFailureAsync(silent));

        Assert.Equal((StatusCode.InvalidArgument, StatusCode.InvalidArgument), (noIdentity.StatusCode, noWords.StatusCode));
        Assert.StartsWith("failure.identity must be set", noIdentity.Status.Detail);
        Assert.StartsWith("failure.message and failure.exception_type are both empty", noWords.Status.Detail);
        Assert.Empty((await telemetry.GetAsync()).Failures);
    }

    [Fact]
    public async Task A_negative_max_history_is_invalid_argument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _server.Client().Telemetry.GetAsync(maxHistory: -1));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("max_history (-1) must be between 0 and", error.Status.Detail);
    }

    [Fact]
    public async Task Telemetry_calls_without_the_token_are_unauthenticated()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _server.Client("wrong-token-0000").Telemetry.ReportAsync(Report(0, 1)));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Empty((await _server.Client().Telemetry.GetAsync()).Ranks);
    }
}
