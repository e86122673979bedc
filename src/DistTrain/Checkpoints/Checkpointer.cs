using DistTrain.Checkpointing;
using Microsoft.Extensions.Logging;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DistTrain.Checkpoints;

/// <summary>
/// Saves and resumes a training run: the module's state dict and the optimizer's state as safetensors,
/// torch's generator and registered <see cref="Random"/>s, and where training stands, into a
/// <see cref="CheckpointStore"/> (a directory per step, complete or absent).
/// <code>
/// var checkpoints = new Checkpointer(model, optimizer, new CheckpointOptions { Directory = dir }, rank, worldSize);
/// var resumed = checkpoints.Resume();                    // null: start at step 0
/// for (var step = resumed?.Step ?? 0; step &lt; steps; step++)
/// {
///     Train();
///     if ((step + 1) % 50 == 0)
///         _ = checkpoints.SaveAsync(step + 1, new CheckpointProgress { Epoch = epoch });
/// }
/// await checkpoints.WaitAsync();
/// </code>
/// <see cref="SaveAsync"/> copies the tensors to host memory on the calling thread and writes in the
/// background; the next save first waits for the previous one. A save that fails (full disk, unwritable
/// directory) faults its task with a <see cref="CheckpointWriteException"/>, is logged, and leaves the last
/// committed checkpoint as it was; training may go on. Not thread-safe: call it from the training thread.
/// </summary>
public sealed class Checkpointer : IDisposable
{
    private readonly nn.Module _model;
    private readonly OptimizerHelper? _optimizer;
    private readonly CheckpointOptions _options;
    private readonly CheckpointStore _store;
    private readonly Dictionary<string, Random> _randoms = new(StringComparer.Ordinal);
    private readonly HostCopyPool? _modelCopies;
    private readonly HostCopyPool? _optimizerCopies;
    private Task _pending = Task.CompletedTask;

    /// <summary>A checkpointer for <paramref name="model"/> (and <paramref name="optimizer"/>) on rank <paramref name="rank"/> of <paramref name="worldSize"/>.</summary>
    /// <exception cref="ArgumentException">The options are invalid: the writer rank is outside the world, keep-last is below 1, or sharded state on several ranks (which needs the coordinator's commit).</exception>
    public Checkpointer(nn.Module model, OptimizerHelper? optimizer, CheckpointOptions options, int rank = 0, int worldSize = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, worldSize);
        if (options.WriterRank < 0 || options.WriterRank >= worldSize)
            throw new ArgumentException($"The writer rank ({options.WriterRank}) must be in [0, {worldSize - 1}] for a world of {worldSize}.", nameof(options));
        if (options.Sharding == CheckpointSharding.Sharded && worldSize > 1)
            throw new ArgumentException(
                $"Sharded checkpoints of {worldSize} ranks need every rank's files committed together, which the coordinator's two-phase commit does; it is not built yet. Use CheckpointSharding.Replicated (one rank writes) for DDP.",
                nameof(options));
        _model = model;
        _optimizer = optimizer;
        _options = options;
        Rank = rank;
        WorldSize = worldSize;
        _store = new CheckpointStore(new CheckpointStoreOptions { Root = options.Directory, KeepLast = options.KeepLast, Logger = options.Logger });
        if (options.ReuseHostCopies)
            (_modelCopies, _optimizerCopies) = (new HostCopyPool(), new HostCopyPool());
    }

    /// <summary>This rank.</summary>
    public int Rank { get; }

    /// <summary>The number of ranks.</summary>
    public int WorldSize { get; }

    /// <summary>Whether this rank writes (and commits) checkpoints: the writer rank, or every rank when sharded.</summary>
    public bool IsWriter => _options.Sharding == CheckpointSharding.Sharded || Rank == _options.WriterRank;

    /// <summary>The store the checkpoints go to.</summary>
    public CheckpointStore Store => _store;

    /// <summary>The last checkpoint this object committed, or resumed from.</summary>
    public VerifiedCheckpoint? Latest { get; private set; }

    /// <summary>Saves <paramref name="random"/>'s state as <paramref name="name"/> with every checkpoint and restores it on resume.</summary>
    /// <exception cref="ArgumentException">The name is taken, is <c>torch</c>, or the generator is <see cref="Random.Shared"/>.</exception>
    public void RegisterRandom(string name, Random random)
    {
        if (name == CheckpointLoader.TorchGenerator || !_randoms.TryAdd(name, random))
            throw new ArgumentException($"A generator named '{name}' is already registered (or the name is reserved for torch's).", nameof(name));
        RandomState.Capture(random); // refuses Random.Shared now rather than at the first save
    }

    /// <summary>
    /// Copies this rank's state at <paramref name="step"/> to host memory: the model and optimizer when this
    /// rank writes them, and its generator states. Blocks for the copies only. The parts the coordinator's
    /// two-phase commit will drive: write it with <see cref="CheckpointSnapshot.WriteTo"/>, report the files.
    /// </summary>
    public CheckpointSnapshot Snapshot(long step) =>
        new(step, Rank, IsWriter ? _model : null, IsWriter ? _optimizer : null, _options.Sharding, CheckpointLoader.CaptureRng(_randoms), _modelCopies, _optimizerCopies);

    /// <summary>
    /// Checkpoints step <paramref name="step"/>: waits for the previous save to finish (its failure was
    /// already reported through its own task), copies the state to host memory, then writes and commits in
    /// the background. On a rank that does not write, completes at once.
    /// </summary>
    /// <returns>Completes when the checkpoint is committed; faults with <see cref="CheckpointWriteException"/> when it could not be written.</returns>
    public Task SaveAsync(long step, CheckpointProgress? progress = null)
    {
        WaitForPending();
        if (!IsWriter)
            return Task.CompletedTask;
        var snapshot = Snapshot(step);
        _pending = Task.Run(() => Write(snapshot, progress ?? new CheckpointProgress()));
        return _pending;
    }

    /// <summary>Checkpoints step <paramref name="step"/> and blocks until it is committed.</summary>
    /// <exception cref="CheckpointWriteException">It could not be written; the last committed checkpoint is unchanged.</exception>
    public void Save(long step, CheckpointProgress? progress = null) => SaveAsync(step, progress).GetAwaiter().GetResult();

    /// <summary>Waits for the save in flight, if any; throws its error if it failed.</summary>
    public Task WaitAsync() => _pending;

    /// <summary>
    /// Finds the newest checkpoint that verifies (a corrupted newer one is skipped, with one log line naming
    /// the file) and loads it into the model, the optimizer and the generators of this rank. Waits for a save
    /// in flight first. The writer also removes leftovers of interrupted saves.
    /// </summary>
    /// <returns>The checkpoint resumed from (its manifest has the step, epoch, data plan, scheduler state), or null when there is none.</returns>
    /// <exception cref="CheckpointFormatException">The newest checkpoint is of a newer format.</exception>
    /// <exception cref="InvalidOperationException">The checkpoint was written with another configuration hash.</exception>
    /// <exception cref="InvalidDataException">Its files do not fit this model or optimizer.</exception>
    public VerifiedCheckpoint? Resume()
    {
        WaitForPending();
        var checkpoint = _store.Recover(removeLeftovers: IsWriter).Checkpoint;
        if (checkpoint is not null)
            Load(checkpoint);
        return checkpoint;
    }

    /// <summary>
    /// Loads <paramref name="checkpoint"/> (verified: see <see cref="CheckpointVerifier.Verify"/>) into the model, the
    /// optimizer and this rank's generators; the checkpoint the coordinator names, for example.
    /// </summary>
    /// <exception cref="InvalidOperationException">The checkpoint was written with another configuration hash.</exception>
    /// <exception cref="InvalidDataException">Its files do not fit this model or optimizer.</exception>
    public void Load(VerifiedCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var manifest = checkpoint.Manifest;
        if (_options.ConfigHash is not null && manifest.ConfigHash is not null && manifest.ConfigHash != _options.ConfigHash)
            throw new InvalidOperationException(
                $"Checkpoint {checkpoint.Name} was written with configuration hash {manifest.ConfigHash}, this run has {_options.ConfigHash}. Resume with the same configuration, or use another checkpoint directory.");
        var fileRank = _options.Sharding == CheckpointSharding.Sharded ? Rank : _options.WriterRank;
        CheckpointLoader.LoadModel(_model, checkpoint, CheckpointFiles.Model(fileRank, _options.Sharding));
        if (_optimizer is not null)
            CheckpointLoader.LoadOptimizer(_optimizer, checkpoint, CheckpointFiles.Optimizer(fileRank, _options.Sharding));
        var missing = CheckpointLoader.RestoreRng(manifest, Rank, _randoms);
        if (missing.Count > 0)
            _options.Logger.LogInformation("Checkpoint {Checkpoint} has no state of generator(s) {Generators} for rank {Rank}; they keep their current state.",
                checkpoint.Name, string.Join(", ", missing), Rank);
        Latest = checkpoint;
    }

    /// <summary>Waits for the save in flight (ignoring its failure, which its task reports) and frees the kept host copies.</summary>
    public void Dispose()
    {
        WaitForPending();
        _modelCopies?.Dispose();
        _optimizerCopies?.Dispose();
    }

    private void Write(CheckpointSnapshot snapshot, CheckpointProgress progress)
    {
        using (snapshot)
        {
            StagedCheckpoint? staged = null;
            try
            {
                staged = _store.Begin(snapshot.Step);
                var files = snapshot.WriteTo(staged);
                Latest = _store.Commit(staged, new CheckpointManifest
                {
                    Step = snapshot.Step,
                    Epoch = progress.Epoch,
                    DataPlan = progress.DataPlan,
                    WorldSize = WorldSize,
                    RngStates = [snapshot.Rng],
                    Scheduler = progress.Scheduler,
                    ConfigHash = _options.ConfigHash,
                    Extra = progress.Extra,
                    Files = files,
                });
            }
            catch (Exception e)
            {
                staged?.Abandon();
                _options.Logger.LogError("Checkpoint of step {Step} failed: {Message}", snapshot.Step, e.Message);
                throw;
            }
        }
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
