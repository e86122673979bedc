using System.Globalization;
using DistTrain.Coordinator.Checkpoints;
using DistTrain.Coordinator.Rendezvous;
using DistTrain.Coordinator.Telemetry;
using DistTrain.Coordinator.Telemetry.Dashboard;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the dashboard page and the JSON it polls.</summary>
public static class DashboardEndpointRouteBuilderExtensions
{
    /// <summary>The most history points <c>/api/telemetry</c> returns.</summary>
    public const int MaxHistory = 10_000;

    /// <summary>The history points <c>/api/telemetry</c> returns without <c>?history=</c>.</summary>
    public const int DefaultHistory = 600;

    /// <summary>
    /// Maps, on an HTTP/1.1 listener: <c>GET /</c> the dashboard page (and <c>/dashboard</c>, redirected
    /// there), its files from <see cref="DashboardAssets"/>, <c>GET /api/telemetry?history=N</c> (the
    /// <see cref="ITelemetryView"/> snapshot as protobuf JSON, at most N history points, 0 to
    /// <see cref="MaxHistory"/>, default <see cref="DefaultHistory"/>) and <c>GET /api/job</c>
    /// (<see cref="JobOverview"/>). Needs <see cref="ITelemetryView"/>, <see cref="IRendezvous"/> and
    /// <see cref="ICheckpointRegistry"/> registered (<c>services.AddCoordinator()</c> and the telemetry aggregator).
    /// </summary>
    /// <returns>The conventions of the dashboard's endpoints.</returns>
    /// <exception cref="InvalidOperationException">A service the dashboard reads is not registered (the message names it).</exception>
    public static IEndpointConventionBuilder MapDashboard(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var view = services.GetService<ITelemetryView>()
            ?? throw new InvalidOperationException("The dashboard reads ITelemetryView, which is not registered: call services.AddCoordinator() (it registers the telemetry aggregator) before app.MapDashboard().");
        var rendezvous = services.GetService<IRendezvous>()
            ?? throw new InvalidOperationException("The dashboard reads IRendezvous, which is not registered: call services.AddCoordinator() before app.MapDashboard().");
        var checkpoints = services.GetRequiredService<ICheckpointRegistry>();

        var group = endpoints.MapGroup("");
        group.MapGet("/", context => WriteAssetAsync(context, DashboardAssets.Index));
        group.MapGet("/dashboard", context =>
        {
            context.Response.Redirect("/");
            return Task.CompletedTask;
        });
        foreach (var asset in DashboardAssets.Files.Where(a => a.Name != "index.html"))
        {
            group.MapGet("/" + asset.Name, context => WriteAssetAsync(context, asset));
        }

        group.MapGet("/api/telemetry", context =>
        {
            if (!TryReadHistory(context.Request.Query["history"], out var history, out var error))
            {
                return WriteTextAsync(context, StatusCodes.Status400BadRequest, "text/plain; charset=utf-8", error);
            }

            return WriteTextAsync(context, StatusCodes.Status200OK, "application/json; charset=utf-8", TelemetryJson.Format(view.Snapshot(history)));
        });
        group.MapGet("/api/job", context =>
            WriteTextAsync(context, StatusCodes.Status200OK, "application/json; charset=utf-8", JobOverview.Build(rendezvous, checkpoints).ToJsonString()));
        return group;
    }

    /// <summary>Reads <c>?history=</c>: absent means <see cref="DefaultHistory"/>; otherwise a whole number from 0 to <see cref="MaxHistory"/>.</summary>
    internal static bool TryReadHistory(string? text, out int history, out string error)
    {
        error = "";
        if (string.IsNullOrEmpty(text))
        {
            history = DefaultHistory;
            return true;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out history) && history <= MaxHistory)
        {
            return true;
        }

        error = string.Create(CultureInfo.InvariantCulture,
            $"The query parameter 'history' ('{text}') must be a whole number from 0 to {MaxHistory}: how many history points to return (default {DefaultHistory}).");
        return false;
    }

    private static Task WriteAssetAsync(HttpContext context, DashboardAsset asset)
    {
        var response = context.Response;
        response.Headers.ETag = asset.ETag;
        response.Headers.CacheControl = "no-cache";
        if (context.Request.Headers.IfNoneMatch == asset.ETag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Content.Length;
        return response.Body.WriteAsync(asset.Content, context.RequestAborted).AsTask();
    }

    private static Task WriteTextAsync(HttpContext context, int status, string contentType, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(text, context.RequestAborted);
    }
}
