namespace DistTrain.Cluster.Tests.Slurm;

/// <summary>
/// Every SLURM test shares one test cluster and runs one at a time: two clusters on one machine
/// would share a host name and compete for its two cores.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SlurmCollection : ICollectionFixture<SlurmCluster>
{
    public const string Name = "SLURM cluster";
}
