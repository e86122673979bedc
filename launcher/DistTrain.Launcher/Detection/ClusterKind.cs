namespace DistTrain.Launcher.Detection;

/// <summary>Where the agent runs.</summary>
public enum ClusterKind
{
    /// <summary>A machine of its own (or several agents on one machine).</summary>
    Local,

    /// <summary>A SLURM job step (started by <c>srun</c>).</summary>
    Slurm,

    /// <summary>A pod of a Kubernetes Indexed Job.</summary>
    Kubernetes,
}
