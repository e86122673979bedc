using System.Net;
using DistTrain.Coordinator.Telemetry;
using Microsoft.Extensions.Options;

namespace DistTrain.Coordinator.Hosting;

/// <summary>Checks <see cref="CoordinatorOptions"/>; each failure shows the value and the rule.</summary>
internal sealed class CoordinatorOptionsValidator : IValidateOptions<CoordinatorOptions>
{
    public ValidateOptionsResult Validate(string? name, CoordinatorOptions options)
    {
        var failures = new List<string>();
        if (options.Port is < 0 or > 65535)
        {
            failures.Add($"The port ({options.Port}) must be between 0 and 65535.");
        }

        if (options.HttpPort is < CoordinatorOptions.NoHttp or > 65535 || (options.HttpPort == options.Port && options.Port != 0))
        {
            failures.Add($"The HTTP port ({options.HttpPort}) must be between 0 and 65535 and differ from the gRPC port ({options.Port}), or {CoordinatorOptions.NoHttp} for no HTTP listener.");
        }

        if (!IPAddress.TryParse(options.BindAddress, out _))
        {
            failures.Add($"The bind address ('{options.BindAddress}') must be an IP address such as 127.0.0.1 or 0.0.0.0.");
        }

        if (options.Token.Length < CoordinatorOptions.MinTokenLength)
        {
            failures.Add($"The token must be at least {CoordinatorOptions.MinTokenLength} characters long (it has {options.Token.Length}).");
        }

        if (options.MaxReceiveMessageSize < 1024)
        {
            failures.Add($"The maximum message size ({options.MaxReceiveMessageSize} bytes) must be at least 1024 bytes.");
        }

        if (options.MaxSendMessageSize < 1024)
        {
            failures.Add($"The maximum response size ({options.MaxSendMessageSize} bytes) must be at least 1024 bytes.");
        }

        if (options.MaxConcurrentConnections < 1)
        {
            failures.Add($"The maximum number of connections ({options.MaxConcurrentConnections}) must be at least 1.");
        }

        ValidateTls(failures, options.Tls);

        var rdzv = options.Rendezvous;
        if (rdzv.MinNodes < 1)
        {
            failures.Add($"The minimum number of nodes ({rdzv.MinNodes}) must be at least 1.");
        }

        if (rdzv.MaxNodes < rdzv.MinNodes)
        {
            failures.Add($"The maximum number of nodes ({rdzv.MaxNodes}) must be greater than or equal to the minimum ({rdzv.MinNodes}).");
        }

        RequirePositive(failures, "last-call timeout", rdzv.LastCallTimeout);
        RequirePositive(failures, "join timeout", rdzv.JoinTimeout);
        if (rdzv.MaxWorkersPerNode < 1)
        {
            failures.Add($"The maximum worker count per node ({rdzv.MaxWorkersPerNode}) must be at least 1.");
        }

        if (rdzv.MaxNodeIdLength < 1)
        {
            failures.Add($"The maximum node id length ({rdzv.MaxNodeIdLength}) must be at least 1.");
        }

        RequirePositive(failures, "heartbeat interval", options.Heartbeat.Interval);
        if (options.Heartbeat.MissesBeforeDead < 1)
        {
            failures.Add($"The number of heartbeats a node may miss ({options.Heartbeat.MissesBeforeDead}) must be at least 1.");
        }

        RequirePositive(failures, "store's default timeout", options.Store.DefaultTimeout);
        if (options.Store.MaxKeyLength < 1)
        {
            failures.Add($"The maximum key length ({options.Store.MaxKeyLength}) must be at least 1.");
        }

        if (options.Checkpoints.KeepLast < 1)
        {
            failures.Add($"The number of checkpoints to keep ({options.Checkpoints.KeepLast}) must be at least 1.");
        }

        ValidateTelemetry(failures, options.Telemetry);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateTls(List<string> failures, CoordinatorTlsOptions tls)
    {
        if (!tls.Enabled && (tls.KeyPath is not null || tls.ClientCaPath is not null))
        {
            failures.Add("A TLS key or client CA was given without a certificate: give the server's certificate too (--tls-cert).");
        }

        foreach (var (what, path) in new[] { ("TLS certificate", tls.CertificatePath), ("TLS key", tls.KeyPath), ("client CA", tls.ClientCaPath) })
        {
            if (path is not null && !File.Exists(path))
            {
                failures.Add($"The {what} file '{path}' does not exist.");
            }
        }
    }

    private static void ValidateTelemetry(List<string> failures, TelemetryOptions telemetry)
    {
        RequirePositive(failures, "telemetry report interval", telemetry.ReportInterval);
        RequirePositive(failures, "stuck threshold", telemetry.StuckAfter);
        RequirePositive(failures, "telemetry history interval", telemetry.HistoryInterval);
        if (!(telemetry.StragglerFactor > 1) || double.IsInfinity(telemetry.StragglerFactor))
        {
            failures.Add($"The straggler factor ({telemetry.StragglerFactor}) must be a finite number greater than 1.");
        }

        foreach (var (what, value) in new[] { ("number of slow reports that make a straggler", telemetry.StragglerReports), ("telemetry history capacity", telemetry.HistoryCapacity), ("number of failures kept", telemetry.MaxFailures) })
        {
            if (value < 1)
            {
                failures.Add($"The {what} ({value}) must be at least 1.");
            }
        }
    }

    private static void RequirePositive(List<string> failures, string what, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"The {what} ({value}) must be positive.");
        }
    }
}
