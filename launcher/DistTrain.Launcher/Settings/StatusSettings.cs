namespace DistTrain.Launcher.Settings;

/// <summary>The settings of <c>disttrain status</c>, read by the same rule as <c>disttrain run</c>'s.</summary>
public sealed class StatusSettings
{
    /// <summary>Its flags: the coordinator and the token as <c>disttrain run</c> names them, and how long to wait.</summary>
    public static IReadOnlyList<Flag<StatusSettings>> Flags { get; } =
    [
        new(RunFlags.RdzvEndpoint.Name, RunFlags.RdzvEndpoint.Alias, RunFlags.RdzvEndpoint.Variable, RunFlags.RdzvEndpoint.HelpName, $"127.0.0.1:{Endpoint.DefaultPort}", null,
            RunFlags.RdzvEndpoint.Description, (s, t) => s.Endpoint = ValueRules.Endpoint(t)),
        new(RunFlags.Token.Name, null, RunFlags.Token.Variable, RunFlags.Token.HelpName, null, "none; required",
            "The job's token.", (s, t) => s.Token = ValueRules.Token(t)),
        new("--timeout", null, "DISTTRAIN_STATUS_TIMEOUT", "SECONDS", "10", null,
            "How long to wait for the coordinator's answer.", (s, t) => s.Timeout = ValueRules.Seconds(t, 0.1, 3600)),
    ];

    /// <summary>The coordinator to ask.</summary>
    public Endpoint Endpoint { get; set; }

    /// <summary>The job's token; null when not given (an error).</summary>
    public string? Token { get; set; }

    /// <summary>How long to wait for the answer.</summary>
    public TimeSpan Timeout { get; set; }
}
