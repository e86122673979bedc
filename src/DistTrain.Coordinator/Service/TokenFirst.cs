using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace DistTrain.Coordinator.Service;

/// <summary>
/// Puts the token check in front of each of the coordinator's endpoints, before Grpc.AspNetCore
/// reads the request: its interceptors run only after the message is read, so a caller without the
/// token could otherwise make the coordinator read (up to the size limit) and parse its body, and an
/// oversized body would answer RESOURCE_EXHAUSTED instead of UNAUTHENTICATED. A refused call gets a
/// trailers-only gRPC response (the status in the headers, no body) and its body is never read.
/// </summary>
internal static class TokenFirst
{
    /// <summary>Wraps <paramref name="endpoint"/>'s request delegate so calls under <paramref name="pathPrefix"/> are checked first.</summary>
    public static void Apply(EndpointBuilder endpoint, string pathPrefix, BearerTokenAuthorizer authorizer)
    {
        var next = endpoint.RequestDelegate
            ?? throw new InvalidOperationException($"The endpoint '{endpoint.DisplayName}' has no request delegate to put the token check in front of.");
        endpoint.RequestDelegate = context =>
            context.Request.Path.StartsWithSegments(pathPrefix, StringComparison.Ordinal) && authorizer.Refusal(context) is { } refusal
                ? RefuseAsync(context, refusal)
                : next(context);
    }

    private static Task RefuseAsync(HttpContext context, string message)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)StatusCode.Unauthenticated).ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = Uri.EscapeDataString(message);
        return Task.CompletedTask;
    }
}
