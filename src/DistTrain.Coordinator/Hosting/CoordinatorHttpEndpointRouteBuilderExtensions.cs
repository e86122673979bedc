using DistTrain.Coordinator.Telemetry;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps what the coordinator serves over plain HTTP (its HTTP/1.1 listener, <c>CoordinatorOptions.HttpPort</c>).</summary>
public static class CoordinatorHttpEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the coordinator's HTTP endpoints: <c>GET /metrics</c>, the job's telemetry as Prometheus
    /// text, and the dashboard at <c>/</c> with the JSON it polls (<see cref="DashboardEndpointRouteBuilderExtensions.MapDashboard"/>)
    /// (no token: scrapers and browsers have none; bind to loopback or a private network). This is the one place
    /// where the coordinator's HTTP endpoints are mapped: a page or API served beside <c>/metrics</c>
    /// adds its own <c>Map…</c> call here. Call <c>services.AddCoordinator()</c> first.
    /// </summary>
    /// <returns>The conventions of every endpoint mapped here.</returns>
    public static IEndpointConventionBuilder MapCoordinatorHttp(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var metrics = endpoints.ServiceProvider.GetService<TelemetryMetrics>()
            ?? throw new InvalidOperationException("Call services.AddCoordinator() before app.MapCoordinatorHttp().");
        var http = endpoints.MapGroup("");
        http.MapMetrics("/metrics", metrics.Registry);
        http.MapDashboard();
        return http;
    }
}
