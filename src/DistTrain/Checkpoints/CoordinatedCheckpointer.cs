using DistTrain.Checkpointing;
using DistTrain.Protocol;
using DistTrain.Protocol.V1;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using ProtoPosition = DistTrain.Protocol.V1.DataPlanPosition;

namespace DistTrain.Checkpoints;

/// <summary>
/// Saves and resumes through the job's coordinator, the one party that commits to the checkpoint
/// directory (checkpoint.proto): every rank begins the step's attempt, writes what it owns into the
/// staging directory the coordinator named (replicated state: the writer rank only), and reports its
/// files and generator states; the last report commits. <see cref="ResumeAsync"/> asks the coordinator
/// for the latest committed checkpoint and loads it through <see cref="Checkpointer.Load"/>.
/// <code>
/// var checkpoints = new CoordinatedCheckpointer(new Checkpointer(model, optimizer, options, rank, world), coordinator.Checkpoints);
/// var resumed = await checkpoints.ResumeAsync();           // null: start at step 0
/// // ... between steps, when the triggers say so:
/// _ = checkpoints.SaveAsync(step, new CheckpointProgress { Epoch = epoch, DataPlan = position with { Dataset = "train" } });
/// await checkpoints.WaitAsync();
/// </code>
/// <see cref="SaveAsync"/> copies the tensors on the calling thread (<see cref="Checkpointer.Snapshot"/>) and does
/// the rest in the background; the next save first waits for the previous one. Every rank must save the
/// same steps. Not thread-safe: call it from the training thread.
/// </summary>
public sealed class CoordinatedCheckpointer : IDisposable
{
    private readonly Checkpointer _local;
    private readonly CoordinatorCheckpointClient _coordinator;
    private readonly CheckpointOptions _options;
    private readonly string _world;
    private Task _pending = Task.CompletedTask;

    /// <summary>Saves <paramref name="local"/>'s model, optimizer and generators through <paramref name="coordinator"/>.</summary>
    /// <param name="local">The checkpointer that copies and loads the state (disposed with this object); its <see cref="CheckpointOptions.Directory"/> is this worker's view of the job's checkpoint directory.</param>
    /// <param name="coordinator">The coordinator's checkpoint client (<see cref="CoordinatorClient.Checkpoints"/>).</param>
    /// <param name="options">The same options as <paramref name="local"/>'s (directory, logger, config hash).</param>
    /// <param name="world">Names this world instance: the round's store namespace (<c>LaunchEnvironment.StoreNamespace</c>), new after every restart,
    /// so that the coordinator discards attempts a dead world left open. Null: not said.</param>
    public CoordinatedCheckpointer(Checkpointer local, CoordinatorCheckpointClient coordinator, CheckpointOptions options, string? world = null)
    {
        _world = world ?? "";
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(coordinator);
        ArgumentNullException.ThrowIfNull(options);
        _local = local;
        _coordinator = coordinator;
        _options = options;
    }

    /// <summary>The checkpoint last committed by a save of this rank's, or resumed from; null before.</summary>
    public CheckpointInfo? Latest { get; private set; }

    /// <summary>
    /// Checkpoints step <paramref name="step"/>: waits for the previous save, copies this rank's state to host
    /// memory, and returns; begin, write and report run in the background. The task faults with the
    /// coordinator's <see cref="Grpc.Core.RpcException"/> or a <see cref="CheckpointWriteException"/> when the
    /// checkpoint fails (logged; the last committed one stays). <paramref name="progress"/> is read from rank 0.
    /// </summary>
    public Task SaveAsync(long step, CheckpointProgress? progress = null)
    {
        WaitForPending();
        var snapshot = _local.Snapshot(step);
        _pending = Task.Run(() => WriteAsync(snapshot, progress ?? new CheckpointProgress()));
        return _pending;
    }

    /// <summary>Waits for the save in flight, if any; throws its error if it failed.</summary>
    public Task WaitAsync() => _pending;

    /// <summary>
    /// Asks the coordinator for the latest committed checkpoint, verifies it in this worker's view of the
    /// directory (sizes and SHA-256 of every file) and loads it. Waits for a save in flight first.
    /// </summary>
    /// <returns>The checkpoint resumed from (step, epoch, data plan position in its manifest), or null when there is none.</returns>
    /// <exception cref="CheckpointCorruptException">The checkpoint the coordinator names does not verify here.</exception>
    /// <exception cref="InvalidDataException">Its files do not fit this model or optimizer.</exception>
    public async Task<VerifiedCheckpoint?> ResumeAsync(CancellationToken cancellationToken = default)
    {
        WaitForPending();
        var latest = await _coordinator.LatestAsync(cancellationToken).ConfigureAwait(false);
        if (latest is null)
            return null;
        var checkpoint = CheckpointVerifier.Verify(Path.Combine(_options.Directory, latest.Name));
        _local.Load(checkpoint);
        Latest = latest;
        return checkpoint;
    }

    /// <summary>Waits for the save in flight (ignoring its failure, which its task reports) and disposes the local checkpointer.</summary>
    public void Dispose()
    {
        WaitForPending();
        _local.Dispose();
    }

    private async Task WriteAsync(CheckpointSnapshot snapshot, CheckpointProgress progress)
    {
        using (snapshot)
        {
            try
            {
                var attempt = await _coordinator.BeginAsync(snapshot.Step, _local.WorldSize, _local.Rank, _world).ConfigureAwait(false);
                var report = new ReportCheckpointRequest { Attempt = attempt.Attempt, Rank = _local.Rank };
                if (snapshot.HasFiles)
                {
                    var staged = _local.Store.Begin(snapshot.Step, attempt.Attempt);
                    foreach (var file in snapshot.WriteTo(staged))
                        report.Files.Add(new CheckpointFileInfo { Name = file.Name, Size = file.Size, Sha256 = file.Sha256 });
                }

                foreach (var (name, state) in snapshot.Rng.States)
                    report.RngStates.Add(name, ByteString.CopyFrom(Convert.FromBase64String(state)));
                if (_local.Rank == 0)
                    report.Progress = ToProto(progress);
                var outcome = await _coordinator.ReportAsync(report).ConfigureAwait(false);
                if (outcome.Committed)
                    Latest = outcome.Checkpoint;
            }
            catch (Exception e)
            {
                _options.Logger.LogError("Checkpoint of step {Step} (rank {Rank}) failed: {Message}", snapshot.Step, _local.Rank, e.Message);
                throw;
            }
        }
    }

    private CheckpointProgressInfo ToProto(CheckpointProgress progress)
    {
        var proto = new CheckpointProgressInfo
        {
            Epoch = progress.Epoch,
            ConfigHash = _options.ConfigHash ?? "",
            SchedulerJson = progress.Scheduler?.ToJsonString() ?? "",
            ExtraJson = progress.Extra?.ToJsonString() ?? "",
        };
        if (progress.DataPlan is { } plan)
        {
            proto.Dataset = plan.Dataset ?? throw new ArgumentException(
                "The progress' data plan position names no dataset: give it the data plan's name (position with { Dataset = \"train\" }) so the coordinator moves that dataset's position.", nameof(progress));
            proto.DataPlan = new ProtoPosition { Epoch = plan.Epoch, Consumed = plan.SamplesConsumed };
            proto.DataPlanSeed = unchecked((ulong)plan.Seed);
        }

        return proto;
    }

    private void WaitForPending()
    {
        try
        {
            _pending.GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            // reported by the save's own task, and logged
        }
    }
}
