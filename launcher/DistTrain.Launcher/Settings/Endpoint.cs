namespace DistTrain.Launcher.Settings;

/// <summary>A <c>host:port</c> pair (<c>--rdzv-endpoint</c>).</summary>
/// <param name="Host">Host name or address.</param>
/// <param name="Port">TCP port.</param>
public readonly record struct Endpoint(string Host, int Port)
{
    /// <summary>The coordinator's default port, as torchrun's.</summary>
    public const int DefaultPort = 29400;

    /// <summary>The coordinator's address as a gRPC client needs it.</summary>
    public string ToUri() => $"http://{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port}";

    /// <summary>Whether the host names the loopback interface.</summary>
    public bool IsLoopback => Host is "localhost" or "::1" || Host.StartsWith("127.", StringComparison.Ordinal);

    /// <inheritdoc />
    public override string ToString() => $"{Host}:{Port}";
}
