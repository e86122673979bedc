namespace DistTrain.Checkpoints;

/// <summary>What every rank does after a step (<see cref="CheckpointTriggers.Decide"/>): the same on all of them.</summary>
/// <param name="Save">Checkpoint this step.</param>
/// <param name="Signal">The signal that asked for it (SIGTERM's or SIGUSR1's number on some rank), or 0.</param>
/// <param name="Stop">A SIGTERM arrived on some rank: leave the loop after this step's save.</param>
public readonly record struct CheckpointDecision(bool Save, int Signal, bool Stop);
