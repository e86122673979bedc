using DistTrain.Checkpointing;
using DistTrain.Coordinator.DataPlan;
using DistTrain.Protocol.DataPlan;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DistTrain.Coordinator.Checkpoints;

/// <summary>
/// The registry over one <see cref="CheckpointStore"/>, under one lock: the open attempts by step (each with
/// its staging directory and the reports so far) and the latest committed checkpoint.
/// </summary>
internal sealed class CheckpointRegistry : ICheckpointRegistry
{
    private readonly Lock _lock = new();
    private readonly CheckpointStore? _store;
    private readonly IDataPlans _dataPlans;
    private readonly ILogger<CheckpointRegistry> _logger;
    private readonly Dictionary<long, OpenAttempt> _open = [];
    private VerifiedCheckpoint? _latest;

    public CheckpointRegistry(IOptions<CoordinatorOptions> options, IDataPlans dataPlans, ILogger<CheckpointRegistry> logger)
    {
        var settings = options.Value.Checkpoints;
        _dataPlans = dataPlans;
        _logger = logger;
        if (!string.IsNullOrWhiteSpace(settings.Directory))
        {
            _store = new CheckpointStore(new CheckpointStoreOptions { Root = settings.Directory, KeepLast = settings.KeepLast, Logger = logger });
        }
    }

    public bool Enabled => _store is not null;

    public VerifiedCheckpoint? Latest
    {
        get
        {
            _ = Store;
            lock (_lock)
            {
                return _latest;
            }
        }
    }

    private CheckpointStore Store => _store ?? throw new CheckpointsDisabledException();

    public void Recover()
    {
        if (_store is null)
        {
            return;
        }

        lock (_lock)
        {
            _latest = _store.Recover().Checkpoint;
            if (_latest is null)
            {
                _logger.LogInformation("No checkpoint to resume from in {Root}; training starts from scratch.", _store.Root);
                return;
            }

            _logger.LogInformation("Resuming from checkpoint {Checkpoint} (step {Step}) in {Root}.", _latest.Name, _latest.Step, _store.Root);
            RestoreDataPlan(_latest);
        }
    }

    public CheckpointAttempt Begin(long step, int worldSize, int rank, string world)
    {
        var store = Store;
        lock (_lock)
        {
            if (_open.TryGetValue(step, out var open))
            {
                if (open.WorldSize == worldSize && open.World == world && open.Began.Add(rank))
                {
                    return open.Describe(created: false);
                }

                _logger.LogWarning(
                    "Discarding checkpoint attempt {Attempt} of step {Step} ({Reported} of {WorldSize} ranks of world '{World}' reported): rank {Rank} of world '{NewWorld}' ({NewWorldSize} ranks) begins it again.",
                    open.Staged.Attempt, step, open.Reports.Count, open.WorldSize, open.World, rank, world, worldSize);
                Discard(open);
            }

            StagedCheckpoint staged;
            try
            {
                staged = store.Begin(step, Guid.NewGuid().ToString("N"));
            }
            catch (CheckpointWriteException e)
            {
                throw new CheckpointCommitFailedException($"Checkpoint of step {step} cannot begin: {e.Message}", e);
            }

            var opened = new OpenAttempt(staged, worldSize, world);
            opened.Began.Add(rank);
            _open[step] = opened;
            return opened.Describe(created: true);
        }
    }

    public ReportOutcome Report(string attempt, RankReport report)
    {
        var store = Store;
        lock (_lock)
        {
            var open = _open.Values.FirstOrDefault(o => o.Staged.Attempt == attempt) ?? throw Unknown(attempt);
            if (report.Rank < 0 || report.Rank >= open.WorldSize)
            {
                throw new InvalidReportException(
                    $"rank ({report.Rank}) must be in [0, {open.WorldSize - 1}]: attempt {attempt} checkpoints step {open.Step} of a world of {open.WorldSize}.");
            }

            var clash = open.Reports.Values.Where(r => r.Rank != report.Rank)
                .SelectMany(r => r.Files.Select(f => (r.Rank, f.Name)))
                .FirstOrDefault(f => report.Files.Any(mine => mine.Name == f.Name));
            if (clash.Name is not null)
            {
                throw new DuplicateFileException(
                    $"Rank {report.Rank} reports the file '{clash.Name}', which rank {clash.Rank} already reported for step {open.Step}; each file of a checkpoint has one writer (replicated state: the writer rank only; sharded: per-rank names).");
            }

            open.Reports[report.Rank] = report;
            var waiting = Enumerable.Range(0, open.WorldSize).Where(r => !open.Reports.ContainsKey(r)).ToList();
            if (waiting.Count > 0)
            {
                return new ReportOutcome(null, waiting);
            }

            _open.Remove(open.Step);
            var committed = Commit(store, open);
            DiscardObsolete(committed.Step, open.World);
            return new ReportOutcome(committed, []);
        }
    }

    private VerifiedCheckpoint Commit(CheckpointStore store, OpenAttempt open)
    {
        var progress = open.Reports[0].Progress;
        var manifest = new CheckpointManifest
        {
            Step = open.Step,
            Epoch = progress?.Epoch ?? 0,
            DataPlan = progress?.DataPlan,
            WorldSize = open.WorldSize,
            RngStates = [.. open.Reports.Values.OrderBy(r => r.Rank).Select(r => new RankRngState(r.Rank, r.RngStates))],
            Scheduler = progress?.Scheduler,
            ConfigHash = progress?.ConfigHash,
            Extra = progress?.Extra,
            Files = [.. open.Reports.Values.OrderBy(r => r.Rank).SelectMany(r => r.Files)],
        };
        try
        {
            _latest = store.Commit(open.Staged, manifest);
        }
        catch (Exception e) when (e is CheckpointWriteException or ArgumentException)
        {
            var kept = _latest is null ? "there is no earlier checkpoint" : $"{_latest.Name} stays the latest checkpoint";
            _logger.LogError("Checkpoint of step {Step} failed and was discarded ({Kept}): {Message}", open.Step, kept, e.Message);
            throw new CheckpointCommitFailedException($"Checkpoint of step {open.Step} failed and was discarded; {kept}. {e.Message}", e);
        }

        _logger.LogInformation("Committed checkpoint {Checkpoint} (step {Step}, {WorldSize} ranks).", _latest.Name, _latest.Step, open.WorldSize);
        RestoreDataPlan(_latest);
        return _latest;
    }

    // The data plan continues from the checkpoint's position, also backwards (an older checkpoint after a corrupted newer one).
    private void RestoreDataPlan(VerifiedCheckpoint checkpoint)
    {
        if (checkpoint.Manifest.DataPlan is { Dataset: { Length: > 0 } dataset } position)
        {
            _dataPlans.Restore(dataset, new PlanPosition(position.Epoch, position.SamplesConsumed));
        }
    }

    private void Discard(OpenAttempt open)
    {
        open.Staged.Abandon();
        _open.Remove(open.Step);
    }

    // Once step S is committed, open attempts of older steps and of other worlds can never complete usefully.
    private void DiscardObsolete(long committed, string world)
    {
        foreach (var stale in _open.Values.Where(o => o.Step < committed || o.World != world).ToList())
        {
            _logger.LogWarning("Discarding checkpoint attempt {Attempt} of step {Step} (world '{World}'): step {Committed} of world '{CommittedWorld}' is committed.",
                stale.Staged.Attempt, stale.Step, stale.World, committed, world);
            Discard(stale);
        }
    }

    private UnknownAttemptException Unknown(string attempt) => new(_open.Count == 0
        ? $"No checkpoint attempt '{attempt}' is open (none is): it was committed or discarded. Begin the checkpoint again (BeginCheckpoint)."
        : $"No checkpoint attempt '{attempt}' is open; the open ones are {string.Join(", ", _open.Values.Select(o => $"'{o.Staged.Attempt}' (step {o.Step})"))}. The attempt was committed, discarded, or replaced by a begin from another world.");

    private sealed class OpenAttempt(StagedCheckpoint staged, int worldSize, string world)
    {
        public string World { get; } = world;

        public StagedCheckpoint Staged { get; } = staged;

        public long Step => Staged.Step;

        public int WorldSize { get; } = worldSize;

        public HashSet<int> Began { get; } = [];

        public Dictionary<int, RankReport> Reports { get; } = [];

        public CheckpointAttempt Describe(bool created) =>
            new(Staged.Attempt, Step, WorldSize, Path.GetFileName(Staged.Path), Staged.Path, created);
    }
}
