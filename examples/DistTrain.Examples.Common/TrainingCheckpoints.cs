using DistTrain.Checkpointing;
using DistTrain.Checkpoints;
using DistTrain.Data;
using DistTrain.Distributed;
using DistTrain.Protocol;
using DistTrain.Protocol.DataPlan;
using TorchSharp;
using static TorchSharp.torch;

namespace DistTrain.Examples;

/// <summary>
/// What the examples add to checkpoint and resume when <c>disttrain run --checkpoint-dir DIR</c> launched them
/// (workers get DISTTRAIN_CHECKPOINT_DIR): the training data read through the coordinator's data plan
/// ("train"), checkpoints through the coordinator every N steps, at the end and after SIGTERM or SIGUSR1,
/// and a resume from the latest committed checkpoint at start: model, optimizer (its learning rates included),
/// data-plan position and the learning-rate scheduler's state. Every rank creates one and calls
/// <see cref="Step"/> after each optimizer step.
/// </summary>
public sealed class TrainingCheckpoints : IDisposable
{
    private readonly CheckpointTriggers _triggers;
    private readonly CoordinatorClient _coordinator;
    private readonly DataPlanClient _plans;
    private readonly CoordinatedCheckpointer _checkpoints;
    private readonly ProcessGroup _group;
    private readonly optim.lr_scheduler.LRScheduler? _scheduler;

    private TrainingCheckpoints(nn.Module model, TorchSharp.Modules.OptimizerHelper optimizer, optim.lr_scheduler.LRScheduler? scheduler,
        DistributedContext context, DataPlanSpec plan, int every, string directory)
    {
        _scheduler = scheduler;
        var environment = LaunchEnvironment.FromEnvironment();
        _group = context.ProcessGroup;
        _triggers = new CheckpointTriggers { EveryNSteps = every };
        _triggers.HandleSignals();
        _coordinator = new CoordinatorClient(environment.Coordinator!.ToString(), environment.JobToken!);
        var options = new CheckpointOptions { Directory = directory };
        var local = new Checkpointer(model, optimizer, options, context.Rank, context.WorldSize);
        _checkpoints = new CoordinatedCheckpointer(local, _coordinator.Checkpoints, options, environment.StoreNamespace);
        var resumed = _checkpoints.ResumeAsync().GetAwaiter().GetResult();
        _plans = new DataPlanClient(_coordinator, context.WorldSize, context.Rank);
        Sampler = _plans.SamplerAsync("train", plan).GetAwaiter().GetResult();
        if (resumed?.Manifest.DataPlan is { } saved)
            Sampler.Resume(new PlanPosition(saved.Epoch, saved.SamplesConsumed));
        GlobalStep = resumed?.Step ?? 0;
        ResumedExtra = resumed?.Manifest.Extra;
        if (scheduler is not null) ResumeScheduler(scheduler, resumed?.Manifest);
        if (context.IsMaster)
            Console.WriteLine(resumed is null
                ? $"checkpoints in {directory} every {every} steps; none yet: starting at step 0"
                : $"resuming from the checkpoint of step {GlobalStep}: epoch {Sampler.Position.Epoch + 1}, {Sampler.Position.Consumed} of its {plan.Size} samples done");
    }

    /// <summary>This rank's sampler of the training set (a DataLoader sampler), at the resumed position.</summary>
    public DataPlanSampler Sampler { get; }

    /// <summary>Optimizer steps taken, over all starts of the job.</summary>
    public long GlobalStep { get; private set; }

    /// <summary>The 1-based epoch training goes on in (a finished epoch reads as the next one).</summary>
    public int Epoch => (int)Sampler.Position.Epoch + 1;

    /// <summary>The extra state saved with the checkpoint resumed from (<see cref="Step"/>'s <c>extra</c>); null: none, or no resume.</summary>
    public System.Text.Json.Nodes.JsonObject? ResumedExtra { get; }

    /// <summary>
    /// Whether the checkpoint resumed from was taken at the last step of an epoch: after that step, before anything
    /// the loop does at the end of the epoch (validation), which the resumed run has to do before it goes on.
    /// </summary>
    public bool ResumedAtEpochEnd => GlobalStep > 0 && Sampler.Position.Consumed == 0;

    /// <summary>Whether a SIGTERM asked the job to stop: the loop leaves after the step it saved.</summary>
    public bool StopRequested { get; private set; }

    /// <summary>
    /// Checkpoints and resumes through the job's coordinator when <c>disttrain run --checkpoint-dir</c> started
    /// this rank (DISTTRAIN_CHECKPOINT_DIR is set); null otherwise, and the example trains as it would without.
    /// </summary>
    /// <param name="model">The module whose state is saved (the one DistributedDataParallel wraps).</param>
    /// <param name="optimizer">Its optimizer, saved too.</param>
    /// <param name="context">This rank's distributed context; null (one process) means no checkpoints.</param>
    /// <param name="plan">The training set's data plan: seed, size, global batch.</param>
    /// <param name="every">Checkpoint every this many steps.</param>
    /// <param name="scheduler">Its learning-rate scheduler, as built (not yet stepped), stepped once an epoch after the epoch's last step: saved too and, on resume, restored to the epoch training goes on in; null: none.</param>
    public static TrainingCheckpoints? FromEnvironment(nn.Module model, TorchSharp.Modules.OptimizerHelper optimizer, DistributedContext? context, DataPlanSpec plan, int every,
        optim.lr_scheduler.LRScheduler? scheduler = null)
    {
        var directory = Environment.GetEnvironmentVariable("DISTTRAIN_CHECKPOINT_DIR");
        return context is null || string.IsNullOrEmpty(directory) ? null : new TrainingCheckpoints(model, optimizer, scheduler, context, plan, every, directory);
    }

    // The scheduler as it was when the checkpoint was taken. A checkpoint of an epoch's last step was taken before
    // that epoch's scheduler step, so the resumed run takes it; a checkpoint without scheduler state (or none)
    // leaves the scheduler stepped once per finished epoch.
    private void ResumeScheduler(optim.lr_scheduler.LRScheduler scheduler, CheckpointManifest? manifest)
    {
        var built = SchedulerState.LastEpoch(scheduler);
        if (manifest?.Scheduler is { } saved) SchedulerState.Restore(scheduler, saved);
        // Its epoch step needs that epoch's metric: the loop's validation gives it (the Trainer's ValidateEpochBeforeFirst).
        if (scheduler is optim.lr_scheduler.impl.ReduceLROnPlateau) return;
        for (var stepped = SchedulerState.LastEpoch(scheduler) - built; stepped < Epoch - 1; stepped++) scheduler.step();
    }

    /// <summary>
    /// After an optimizer step: advances the sampler and, when a trigger fires on any rank (every N steps,
    /// the last step of <paramref name="finalEpoch"/>, a signal, served within 10 steps), saves on every rank (asynchronously).
    /// </summary>
    /// <param name="finalEpoch">Whether this is the run's last epoch (its last step is then saved).</param>
    /// <param name="extra">The loop's own state, if a checkpoint is taken (the same on every rank; rank 0's is kept): <see cref="ResumedExtra"/> of the run that resumes from it.</param>
    /// <returns>Whether to leave the training loop (SIGTERM).</returns>
    public bool Step(bool finalEpoch, Func<System.Text.Json.Nodes.JsonObject>? extra = null)
    {
        var last = finalEpoch && Sampler.StepCount == 1;
        Sampler.Advance();
        GlobalStep++;
        var decision = _triggers.Decide(_group, GlobalStep, last);
        if (decision.Save)
        {
            var position = Sampler.Position;
            var step = GlobalStep;
            var save = _checkpoints.SaveAsync(step, new CheckpointProgress
            {
                Epoch = position.Epoch,
                DataPlan = new DataPlanPosition(position.Epoch, position.Consumed, (long)Sampler.Plan.Seed) { Dataset = "train" },
                Scheduler = _scheduler is null ? null : SchedulerState.Capture(_scheduler),
                Extra = extra?.Invoke(),
            });
            // Said when it happens, not only when the final save's error ends the run.
            _ = save.ContinueWith(
                failed => Console.Error.WriteLine(
                    $"rank {_group.rank()}: the checkpoint of step {step} failed: {failed.Exception!.GetBaseException().Message} " +
                    $"Training goes on; the latest good checkpoint is {_checkpoints.Latest?.Name ?? "none"}."),
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            if (decision.Signal != 0 && _group.rank() == 0)
                Console.WriteLine($"signal {decision.Signal}: checkpoint of step {GlobalStep}");
        }

        StopRequested = decision.Stop;
        return StopRequested;
    }

    /// <summary>Waits for the checkpoint in flight, if any, to be written and committed (throws its error if it failed).</summary>
    public void WaitForSave() => _checkpoints.WaitAsync().GetAwaiter().GetResult();

    /// <summary>Waits for the last checkpoint to be written and committed, then closes the coordinator's connection.</summary>
    public void Dispose()
    {
        WaitForSave();
        _checkpoints.Dispose();
        _plans.Dispose();
        _coordinator.Dispose();
        _triggers.Dispose();
    }
}
