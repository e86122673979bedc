using DistTrain.Data;

namespace DistTrain.Training;

/// <summary>One optimizer step, as the <see cref="Trainer.StepEnded"/> callback sees it.</summary>
/// <param name="Epoch">The epoch (1 first).</param>
/// <param name="Step">Optimizer steps so far over the whole fit (1 first).</param>
/// <param name="Loss">This rank's mean loss over the step's micro-batches (not averaged over ranks: that would cost a collective per step).</param>
/// <param name="MicroBatches">Micro-batches accumulated into this step.</param>
/// <param name="GradNorm">The gradients' total 2-norm before clipping (after DDP's average); NaN without clipping.</param>
/// <param name="LearningRate">The first parameter group's learning rate used by this step.</param>
public sealed record StepReport(int Epoch, long Step, double Loss, int MicroBatches, double GradNorm, double LearningRate);

/// <summary>One epoch, as the <see cref="Trainer.EpochEnded"/> callback and <see cref="TrainingResult"/> see it.</summary>
/// <param name="Epoch">The epoch (1 first).</param>
/// <param name="Metrics">
/// "train_loss" (the mean over every rank's samples) and, with validation, "val_loss" and, with
/// <see cref="TrainerOptions.NumClasses"/>, "val_accuracy", "val_precision", "val_recall", "val_f1" (macro) and
/// "val_micro_f1": the same bits on every rank.
/// </param>
/// <param name="Validation">The validation report over every rank (null without classes or validation).</param>
/// <param name="LearningRate">The first parameter group's learning rate at the end of the epoch (after the scheduler stepped).</param>
/// <param name="Stop">Whether early stopping ends training after this epoch.</param>
public sealed record EpochReport(int Epoch, IReadOnlyDictionary<string, double> Metrics, ClassificationReport? Validation, double LearningRate, bool Stop);

/// <summary>What <see cref="Trainer.Fit"/> did.</summary>
/// <param name="Epochs">Every epoch's report, in order (from <see cref="TrainerOptions.FirstEpoch"/>; none when it is past the last).</param>
/// <param name="StoppedEarly">Whether early stopping ended training before <see cref="TrainerOptions.Epochs"/>.</param>
/// <param name="BestEpoch">The epoch with the best monitored value (0 without early stopping).</param>
/// <param name="Steps">Optimizer steps taken.</param>
/// <param name="Stopped">Whether <see cref="Trainer.Stop"/> ended training (after the step it was called in).</param>
public sealed record TrainingResult(IReadOnlyList<EpochReport> Epochs, bool StoppedEarly, int BestEpoch, long Steps, bool Stopped = false);
