namespace DistTrain.Launcher.Settings;

/// <summary>Who runs the coordinator when this agent is not <c>--standalone</c>.</summary>
public enum CoordinatorMode
{
    /// <summary>This agent hosts it when the environment says so (SLURM task 0, the pod the endpoint names, a local endpoint whose port is free); otherwise it connects.</summary>
    Auto,

    /// <summary>This agent hosts it on the endpoint's port.</summary>
    Host,

    /// <summary>Another process hosts it; this agent connects.</summary>
    Connect,
}

/// <summary>Whether the live progress line is shown.</summary>
public enum ProgressMode
{
    /// <summary>Shown when standard output is a terminal.</summary>
    Auto,

    /// <summary>Always shown.</summary>
    On,

    /// <summary>Never shown.</summary>
    Off,
}
