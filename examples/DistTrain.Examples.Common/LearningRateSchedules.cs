using TorchSharp;

namespace DistTrain.Examples;

/// <summary>The examples' learning-rate schedule, one of TorchSharp's schedulers, stepped once an epoch.</summary>
public static class LearningRateSchedules
{
    /// <summary>
    /// Cosine decay over <paramref name="epochs"/>: epoch e (1-based) trains at lr · (1 + cos(π (e − 1) / epochs)) / 2.
    /// A LambdaLR, whose rate is a function of the epoch count alone (not of the previous rate); checkpoints keep its
    /// state (<see cref="DistTrain.Checkpoints.SchedulerState"/>) and a resumed run restores it.
    /// </summary>
    public static torch.optim.lr_scheduler.LRScheduler CosineOverEpochs(torch.optim.Optimizer optimizer, int epochs) =>
        torch.optim.lr_scheduler.LambdaLR(optimizer, done => (1 + Math.Cos(Math.PI * done / epochs)) / 2);
}
