namespace DistTrain.Distributed;

/// <summary>How a Gloo process group is set up.</summary>
public sealed class GlooOptions
{
    /// <summary>The default timeout of every collective (PyTorch's default: 30 minutes).</summary>
    public TimeSpan Timeout { get; init; } = ProcessGroup.DefaultTimeout;

    /// <summary>The network interface Gloo binds (PyTorch's <c>GLOO_SOCKET_IFNAME</c>); null: use <see cref="Hostname"/>.</summary>
    public string? NetworkInterface { get; init; }

    /// <summary>The address or host name of this host that peers connect to; null: the host name's address (loopback if it does not resolve).</summary>
    public string? Hostname { get; init; }

    /// <summary>How long the group's creation waits for the other ranks (each store get or wait); PyTorch's default store timeout is 300 s.</summary>
    public TimeSpan StoreTimeout { get; init; } = Store.DefaultTimeout;

    /// <summary>
    /// Whether sums and averages of CPU float/double/int/long tensors go through shared
    /// memory when every rank runs on this host (the group finds out when it is created; other
    /// collectives, and groups that span hosts, use Gloo). Every rank must agree; false on any rank
    /// turns it off for all. Default: true.
    /// </summary>
    public bool LocalAllReduce { get; init; } = true;
}
