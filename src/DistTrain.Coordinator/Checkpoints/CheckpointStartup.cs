using Microsoft.Extensions.Hosting;

namespace DistTrain.Coordinator.Checkpoints;

/// <summary>
/// Recovers the checkpoint registry when the coordinator starts, before it serves a call: the newest
/// checkpoint on disk that verifies becomes the latest and sets the data plan's position, so a restarted
/// coordinator continues from the checkpoint directory, not from what its predecessor held in memory.
/// A checkpoint of a newer format stops the start (<see cref="DistTrain.Checkpointing.CheckpointFormatException"/>).
/// </summary>
internal sealed class CheckpointStartup(ICheckpointRegistry registry) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        registry.Recover();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
