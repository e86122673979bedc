using System.Runtime.Versioning;

// SLURM daemons, munge and Kubernetes nodes are Linux; so are these tests.
[assembly: SupportedOSPlatform("linux")]
