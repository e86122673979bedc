namespace DistTrain.Rpc.Server;

/// <summary>What has been mapped in one host, so services are not mapped twice and the unknown-service route once.</summary>
internal sealed class RpcEndpointRegistry
{
    public HashSet<string> Services { get; } = new(StringComparer.Ordinal);

    public bool UnknownServiceMapped { get; set; }
}
