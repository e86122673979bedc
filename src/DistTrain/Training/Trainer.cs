using DistTrain.Data;
using DistTrain.Distributed;
using DistTrain.Parallel;
using static TorchSharp.torch;

namespace DistTrain.Training;

/// <summary>
/// A small training loop for those who want one (the plain loop stays first-class): epochs, validation each
/// epoch with metrics over every rank, early stopping, a learning-rate scheduler (<c>ReduceLROnPlateau</c> too,
/// stepped with a validation metric), gradient accumulation
/// (with DDP's <c>no_sync()</c>), gradient clipping and callbacks, over your own model, optimizer, loss and
/// data. Give it the <see cref="DistributedDataParallel"/> wrapper to train data-parallel (every rank runs
/// the same <see cref="Fit"/>), or the bare module to train alone.
/// </summary>
/// <remarks>
/// Batches are TorchSharp's DataLoader batches (or <see cref="PrefetchedBatch"/>es): <c>batch[0]</c> the
/// input, <c>batch[1]</c> the target; the loss is a mean over the batch. Under DDP every rank must see the
/// same number of training batches each epoch (<see cref="DistributedSampler"/> pads to make it so); the
/// validation batches may differ (an evaluation sampler scores each sample once). Each step runs in its own
/// dispose scope.
/// </remarks>
public sealed class Trainer
{
    private readonly nn.Module<Tensor, Tensor> model;
    private readonly optim.Optimizer optimizer;
    private readonly Func<Tensor, Tensor, Tensor> loss;
    private readonly TrainerOptions options;
    private readonly DistributedDataParallel? ddp;
    private long steps;
    private volatile bool stopRequested;

    /// <summary>A trainer of <paramref name="model"/> (a <see cref="DistributedDataParallel"/> wrapper or a bare module).</summary>
    /// <param name="model">What is called on each batch's input.</param>
    /// <param name="optimizer">The optimizer of the model's parameters.</param>
    /// <param name="loss">(output, target) → the batch's mean loss, for example <c>nn.CrossEntropyLoss().call</c>.</param>
    /// <param name="options">Epochs, accumulation, clipping, scheduler, early stopping, classes; null: one epoch and nothing else.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the message says which and why).</exception>
    public Trainer(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, Func<Tensor, Tensor, Tensor> loss, TrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(loss);
        this.options = options ?? new TrainerOptions();
        this.options.Validate();
        (this.model, this.optimizer, this.loss) = (model, optimizer, loss);
        ddp = model as DistributedDataParallel;
    }

    /// <summary>Called on every rank after each optimizer step.</summary>
    public event Action<StepReport>? StepEnded;

    /// <summary>Called on every rank after each epoch's validation (the same report on every rank).</summary>
    public event Action<EpochReport>? EpochEnded;

    private ProcessGroup? Group => ddp?.ProcessGroup;

    /// <summary>
    /// Asks <see cref="Fit"/> to stop after the optimizer step in progress, for example from <see cref="StepEnded"/>
    /// when a checkpoint was saved on SIGTERM: that epoch ends there, is validated and reported, and no other
    /// starts. Under DDP call it on every rank at the same step (a collective decision, such as
    /// <see cref="Checkpoints.CheckpointTriggers"/>' Decide), or the ranks' collectives stop matching.
    /// </summary>
    public void Stop() => stopRequested = true;

    /// <summary>
    /// Trains for <see cref="TrainerOptions.Epochs"/> epochs or until early stopping says to stop, validating
    /// after each epoch when <paramref name="validation"/> is given.
    /// </summary>
    /// <param name="train">The training batches of epoch e (1 first): call <c>set_epoch(e)</c> on your sampler here.</param>
    /// <param name="validation">The validation batches of epoch e; null: no validation (early stopping can then watch "train_loss" only).</param>
    /// <exception cref="InvalidOperationException">Early stopping or a ReduceLROnPlateau scheduler watches a metric the epoch does not have (the message lists those it has).</exception>
    /// <exception cref="CollectiveException">A peer failed or a collective timed out.</exception>
    public TrainingResult Fit(Func<int, IEnumerable<IList<Tensor>>> train, Func<int, IEnumerable<IList<Tensor>>>? validation = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        var reports = new List<EpochReport>();
        stopRequested = false;
        if (options.ValidateEpochBeforeFirst && ValidateBeforeFirstSaysStop(validation))
            return new TrainingResult(reports, true, options.EarlyStopping!.BestEpoch, steps);
        optimizer.zero_grad();
        for (var epoch = options.FirstEpoch; epoch <= options.Epochs; epoch++)
        {
            var metrics = new Dictionary<string, double> { ["train_loss"] = TrainEpoch(epoch, train(epoch)) };
            ClassificationReport? report = null;
            if (validation is not null) report = Validate(validation(epoch), metrics);
            StepSchedulerAfterEpoch(metrics, epoch);
            var stop = options.EarlyStopping is { } early && early.Update(epoch, Monitored("Early stopping", early.Monitor, metrics, epoch));
            var epochReport = new EpochReport(epoch, metrics, report, LearningRate(), stop);
            reports.Add(epochReport);
            EpochEnded?.Invoke(epochReport);
            if (stop || stopRequested) break;
        }
        return new TrainingResult(reports, reports.Count > 0 && reports[^1].Stop, options.EarlyStopping?.BestEpoch ?? 0, steps, stopRequested);
    }

    // The validation of the epoch before FirstEpoch, which its checkpoint came before; true when early stopping stops there.
    private bool ValidateBeforeFirstSaysStop(Func<int, IEnumerable<IList<Tensor>>>? validation)
    {
        var epoch = options.FirstEpoch - 1;
        if (validation is null)
            throw new InvalidOperationException($"ValidateEpochBeforeFirst is set but Fit was given no validation batches to validate epoch {epoch} with.");
        var metrics = new Dictionary<string, double>();
        Validate(validation(epoch), metrics);
        if (options.Scheduler is optim.lr_scheduler.impl.ReduceLROnPlateau plateau)
            plateau.step(Monitored("The ReduceLROnPlateau scheduler", options.SchedulerMonitor, metrics, epoch));
        return options.EarlyStopping is { } early && early.Update(epoch, Monitored("Early stopping", early.Monitor, metrics, epoch));
    }

    // One epoch of training; returns the mean loss over every rank's samples.
    private double TrainEpoch(int epoch, IEnumerable<IList<Tensor>> batches)
    {
        model.train();
        var sums = new EpochMetrics(0);
        var (k, micro, stepLoss) = (options.AccumulationSteps, 0, 0.0);
        using var it = batches.GetEnumerator();
        var more = it.MoveNext(); // outside every dispose scope of the trainer: the loader's tensors are the loader's
        while (more)
        {
            micro++;
            // Accumulating, the trainer reads one batch ahead to sync the epoch's last micro-batch. Loaders
            // dispose a batch when the next is read, so it works on a copy.
            var copy = k == 1 ? null : it.Current.Select(t => t.clone().DetachFromDisposeScope()).ToArray();
            var last = k > 1 && !(more = it.MoveNext());
            var stepEnds = k == 1 || micro == k || last;
            try
            {
                var batch = copy ?? it.Current;
                var value = Backward(batch, stepEnds);
                sums.AddLoss(value, batch[0].shape[0]);
                stepLoss += value;
            }
            finally
            {
                foreach (var t in copy ?? []) t.Dispose();
            }
            if (k == 1) more = it.MoveNext();
            if (!stepEnds) continue;
            var norm = options.MaxGradNorm is { } max ? nn.utils.clip_grad_norm_(model.parameters(), max) : double.NaN;
            var rate = LearningRate();
            optimizer.step();
            optimizer.zero_grad();
            steps++;
            if (options.SchedulerInterval == SchedulerInterval.Step) options.Scheduler?.step();
            StepEnded?.Invoke(new StepReport(epoch, steps, stepLoss / micro, micro, norm, rate));
            (micro, stepLoss) = (0, 0.0);
            if (stopRequested) break;
        }
        return sums.Reduce(Group).MeanLoss;
    }

    // Forward and backward of one micro-batch (its loss divided by the accumulation steps); returns its loss.
    private double Backward(IList<Tensor> batch, bool sync)
    {
        using var scope = NewDisposeScope();
        // Every rank has the same number of batches, hence the same pattern of synced and unsynced backwards.
        using var noSync = sync || ddp is null ? null : ddp.no_sync();
        var value = loss(model.call(batch[0]), batch[1]);
        (value / options.AccumulationSteps).backward();
        return value.to(ScalarType.Float64).item<double>();
    }

    // Validation over every rank: the loss, and with classes the confusion matrix and its scores.
    private ClassificationReport? Validate(IEnumerable<IList<Tensor>> batches, Dictionary<string, double> metrics)
    {
        model.eval();
        var sums = new EpochMetrics(options.NumClasses);
        using (no_grad())
        {
            foreach (var batch in batches)
            {
                using var scope = NewDisposeScope();
                var output = model.call(batch[0]);
                sums.AddLoss(loss(output, batch[1]).to(ScalarType.Float64).item<double>(), batch[0].shape[0]);
                sums.Confusion?.Update(Predict(output), options.Labels?.Invoke(batch[1]) ?? batch[1].flatten().to(ScalarType.Int64));
            }
        }
        model.train();
        var (meanLoss, confusion) = sums.Reduce(Group);
        metrics["val_loss"] = meanLoss;
        if (confusion?.Report() is not { } report) return null;
        metrics["val_accuracy"] = report.Accuracy;
        metrics["val_precision"] = report.MacroPrecision;
        metrics["val_recall"] = report.MacroRecall;
        metrics["val_f1"] = report.MacroF1;
        metrics["val_micro_f1"] = report.MicroF1;
        return report;
    }

    private Tensor Predict(Tensor output)
    {
        if (options.Predict is { } predict) return predict(output);
        if (output.ndim != 2 || output.shape[1] < 2)
            throw new InvalidOperationException($"The model's output is shaped [{string.Join(", ", output.shape)}]: argmax(1) needs logits of C > 1 columns. Set TrainerOptions.Predict (for one sigmoid output: o => o.ge(0.5).flatten()).");
        return output.argmax(1);
    }

    // Epoch schedulers step here; ReduceLROnPlateau with the monitored metric, the same on every rank (reduced over
    // all of them), so every rank lowers its rate at the same epoch.
    private void StepSchedulerAfterEpoch(Dictionary<string, double> metrics, int epoch)
    {
        if (options.Scheduler is optim.lr_scheduler.impl.ReduceLROnPlateau plateau)
            plateau.step(Monitored("The ReduceLROnPlateau scheduler", options.SchedulerMonitor, metrics, epoch));
        else if (options.SchedulerInterval == SchedulerInterval.Epoch)
            options.Scheduler?.step();
    }

    private static double Monitored(string watcher, string monitor, Dictionary<string, double> metrics, int epoch) =>
        metrics.TryGetValue(monitor, out var value) ? value
            : throw new InvalidOperationException($"{watcher} watches '{monitor}', which epoch {epoch} does not have; it has {string.Join(", ", metrics.Keys)}. Pass validation batches to Fit for val_* metrics, and NumClasses for accuracy, precision, recall and F1.");

    private double LearningRate() => optimizer.ParamGroups.First().LearningRate;
}
