namespace DistTrain.Launcher.Agent;

/// <summary>The exit codes of <c>disttrain</c>.</summary>
public static class ExitCodes
{
    /// <summary>The job finished: every worker exited with 0.</summary>
    public const int Success = 0;

    /// <summary>A worker failed and the restarts were used up (the summary names the root cause).</summary>
    public const int WorkerFailed = 1;

    /// <summary>A flag or variable is wrong; nothing was started.</summary>
    public const int Usage = 2;

    /// <summary>A preflight check failed (GPUs, the coordinator, the program); no worker was started.</summary>
    public const int Preflight = 3;

    /// <summary>The rendezvous failed: the coordinator went away, refused the token, or a join timed out.</summary>
    public const int Rendezvous = 4;

    /// <summary>Added to a signal's number when the agent stops because of it (SIGTERM: 143), as a shell does.</summary>
    public const int SignalBase = 128;
}
