using DistTrain.Protocol.V1;
using Grpc.Core;
using Grpc.Net.Client.Configuration;

namespace DistTrain.Protocol;

/// <summary>
/// The service config <see cref="CoordinatorClient"/> gives its channel: calls that are safe to
/// repeat are retried after UNAVAILABLE (the coordinator could not be reached, or is restarting) with
/// exponential backoff; the others (<c>StoreAdd</c>, <c>StoreCompareSet</c>, <c>StoreDelete</c>)
/// fail at once, because a retry could apply them twice.
/// </summary>
public static class CoordinatorServiceConfig
{
    /// <summary>
    /// The methods retried after UNAVAILABLE. A retried <c>Join</c> gets the world it would have got
    /// (the coordinator recognises the node); a watch is retried only before its first event; a repeated
    /// <c>RegisterDataset</c> of the same plan, or <c>CommitDataPlan</c> of the same position, changes nothing; <c>GetLatestCheckpoint</c> and <c>GetTelemetry</c> only read.
    /// <c>BeginCheckpoint</c> and <c>ReportCheckpoint</c> are not retried: a repeated begin of a rank opens a new attempt, and a
    /// repeated report after the commit finds its attempt gone. <c>ReportTelemetry</c> is not retried (the next report replaces a lost one), nor <c>ReportFailure</c> (it would be counted twice).
    /// </summary>
    public static IReadOnlyList<string> IdempotentMethods { get; } =
        ["Join", "Leave", "Heartbeat", "Watch", "StoreSet", "StoreGet", "StoreCheck", "StoreWait", "StoreNumKeys",
         "RegisterDataset", "GetDataPlan", "CommitDataPlan", "GetLatestCheckpoint", "GetTelemetry"];

    /// <summary>Attempts per call, the first included.</summary>
    public const int MaxAttempts = 5;

    /// <summary>
    /// A new service config with the retry policy on <see cref="IdempotentMethods"/>: up to
    /// <see cref="MaxAttempts"/> attempts, backoff from 0.1 s doubling to at most 5 s (with gRPC's
    /// jitter), on UNAVAILABLE only; never past a call's deadline.
    /// </summary>
    public static ServiceConfig Create()
    {
        var retried = new MethodConfig
        {
            RetryPolicy = new RetryPolicy
            {
                MaxAttempts = MaxAttempts,
                InitialBackoff = TimeSpan.FromMilliseconds(100),
                MaxBackoff = TimeSpan.FromSeconds(5),
                BackoffMultiplier = 2,
                RetryableStatusCodes = { StatusCode.Unavailable },
            },
        };
        foreach (var method in IdempotentMethods)
        {
            retried.Names.Add(new MethodName { Service = Coordinator.Descriptor.FullName, Method = method });
        }

        return new ServiceConfig { MethodConfigs = { retried } };
    }
}
