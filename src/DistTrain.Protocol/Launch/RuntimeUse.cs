namespace DistTrain.Protocol.Launch;

/// <summary>Whether DistTrain's runtime reads a <see cref="LaunchVariable"/>, and whether a worker starts without it.</summary>
public enum RuntimeUse
{
    /// <summary>The runtime does not read it: it is there for programs written for torchrun, or for another library (CUDA).</summary>
    NotRead,

    /// <summary>Read when set; otherwise its default applies.</summary>
    Optional,

    /// <summary>Read; a worker without it stops with a <see cref="LaunchVariableException"/> naming it.</summary>
    Required,
}
