using static TorchSharp.torch;

namespace DistTrain.Training;

/// <summary>When the <see cref="Trainer"/> steps the learning-rate scheduler.</summary>
public enum SchedulerInterval
{
    /// <summary>After every epoch (StepLR, MultiStepLR, CosineAnnealingLR over epochs).</summary>
    Epoch,
    /// <summary>After every optimizer step (OneCycleLR, warm-up schedules).</summary>
    Step,
}

/// <summary>What a <see cref="Trainer"/> does besides forward, backward and the optimizer step.</summary>
public sealed class TrainerOptions
{
    /// <summary>Epochs to train at most (early stopping may end sooner).</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>
    /// The epoch to start at: 1, or after a resume the epoch the run goes on in (the caller has restored the model,
    /// the optimizer, the scheduler and the data position). Epochs before it are not trained; one past
    /// <see cref="Epochs"/> (a run resumed after its last step) trains nothing.
    /// </summary>
    public int FirstEpoch { get; init; } = 1;

    /// <summary>
    /// Validates once before <see cref="FirstEpoch"/> trains, as the epoch before it, and feeds the result to
    /// <see cref="EarlyStopping"/> and to a <c>ReduceLROnPlateau</c> <see cref="Scheduler"/> (not to other schedulers:
    /// restore those as of the next epoch; no <see cref="Trainer.EpochEnded"/>). For a run resumed
    /// from a checkpoint of an epoch's last step: such a checkpoint is taken after the step and before that
    /// epoch's validation, which the resumed run would otherwise never run. Needs validation batches.
    /// </summary>
    public bool ValidateEpochBeforeFirst { get; init; }

    /// <summary>
    /// Micro-batches whose gradients are summed before each optimizer step (1: none). The loss of each is
    /// divided by this number, so k micro-batches of b samples step as one batch of k·b; under
    /// DistributedDataParallel all but the last run under <c>no_sync()</c> (one all-reduce per step). A last,
    /// shorter group at the end of an epoch steps with what it has (its loss still divided by this number). To
    /// know which micro-batch is the epoch's last, the trainer reads one batch ahead and works on a copy of
    /// the current one (loaders dispose a batch when the next is read).
    /// </summary>
    public int AccumulationSteps { get; init; } = 1;

    /// <summary>Clip the gradients' total 2-norm to this before each step (TorchSharp's <c>clip_grad_norm_</c>); null: no clipping.</summary>
    public double? MaxGradNorm { get; init; }

    /// <summary>
    /// A TorchSharp learning-rate scheduler of the trainer's optimizer, stepped every <see cref="SchedulerInterval"/>;
    /// null: none. A <c>ReduceLROnPlateau</c> steps once an epoch, after validation, with the metric
    /// <see cref="SchedulerMonitor"/> names (its mode, factor and patience are the scheduler's own).
    /// </summary>
    public optim.lr_scheduler.LRScheduler? Scheduler { get; init; }

    /// <summary>When <see cref="Scheduler"/> steps (a <c>ReduceLROnPlateau</c>: every epoch only).</summary>
    public SchedulerInterval SchedulerInterval { get; init; } = SchedulerInterval.Epoch;

    /// <summary>
    /// The metric of <see cref="EpochReport.Metrics"/> a <c>ReduceLROnPlateau</c> <see cref="Scheduler"/> is stepped with,
    /// for example "val_loss" (its mode "min") or "val_accuracy" (mode "max"); the same value on every rank.
    /// </summary>
    public string SchedulerMonitor { get; init; } = "val_loss";

    /// <summary>Stop when a validation metric stops improving; null: train every epoch.</summary>
    public EarlyStopping? EarlyStopping { get; init; }

    /// <summary>
    /// Classes of the validation targets, for the confusion matrix and its accuracy, precision, recall and F1
    /// (computed over every rank); 0: validation reports the loss only.
    /// </summary>
    public int NumClasses { get; init; }

    /// <summary>
    /// The predicted classes (1-D integral) from a validation batch's output; null: <c>output.argmax(1)</c>, for
    /// logits of C &gt; 1 columns. Give one for a single sigmoid output, for example <c>o =&gt; o.ge(0.5).flatten()</c>.
    /// </summary>
    public Func<Tensor, Tensor>? Predict { get; init; }

    /// <summary>The actual classes (1-D) from a validation batch's target; null: <c>target.flatten()</c> as int64.</summary>
    public Func<Tensor, Tensor>? Labels { get; init; }

    internal void Validate()
    {
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, $"Epochs ({Epochs}) must be at least 1.");
        if (FirstEpoch < 1) throw new ArgumentOutOfRangeException(nameof(FirstEpoch), FirstEpoch, $"FirstEpoch ({FirstEpoch}) must be at least 1 (epochs count from 1).");
        if (ValidateEpochBeforeFirst && FirstEpoch < 2)
            throw new ArgumentOutOfRangeException(nameof(ValidateEpochBeforeFirst), ValidateEpochBeforeFirst, $"ValidateEpochBeforeFirst validates epoch FirstEpoch - 1: FirstEpoch ({FirstEpoch}) must then be at least 2.");
        if (AccumulationSteps < 1) throw new ArgumentOutOfRangeException(nameof(AccumulationSteps), AccumulationSteps, $"AccumulationSteps ({AccumulationSteps}) must be at least 1 (1: no accumulation).");
        if (MaxGradNorm is { } norm && !(norm > 0)) throw new ArgumentOutOfRangeException(nameof(MaxGradNorm), norm, $"MaxGradNorm ({norm}) must be positive; leave it null for no clipping.");
        if (Scheduler is optim.lr_scheduler.impl.ReduceLROnPlateau && SchedulerInterval != SchedulerInterval.Epoch)
            throw new ArgumentOutOfRangeException(nameof(SchedulerInterval), SchedulerInterval, $"A ReduceLROnPlateau scheduler steps once an epoch with the metric {SchedulerMonitor}: set SchedulerInterval to Epoch.");
        if (string.IsNullOrWhiteSpace(SchedulerMonitor))
            throw new ArgumentOutOfRangeException(nameof(SchedulerMonitor), SchedulerMonitor, "SchedulerMonitor must name a metric, for example \"val_loss\".");
        if (NumClasses is < 0 or 1) throw new ArgumentOutOfRangeException(nameof(NumClasses), NumClasses, $"NumClasses ({NumClasses}) must be 0 (loss only) or at least 2.");
    }
}
