using DistTrain.Protocol.DataPlan;

namespace DistTrain.Coordinator.DataPlan;

/// <summary>
/// The job's data plans under one lock: a dictionary from name to state (two records per dataset), and the
/// positions restored from a checkpoint for datasets not registered yet.
/// </summary>
internal sealed class DataPlans : IDataPlans
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, DatasetState> _datasets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PlanPosition> _restored = new(StringComparer.Ordinal);

    public DatasetRegistration Register(DatasetDefinition dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        lock (_lock)
        {
            if (_datasets.TryGetValue(dataset.Name, out var existing))
            {
                return existing.Dataset == dataset ? new DatasetRegistration(existing, Created: false) : throw Conflict(existing.Dataset, dataset);
            }

            var start = _restored.Remove(dataset.Name, out var restored) ? Checked(dataset.Name, dataset.Plan.Size, restored) : PlanPosition.Start;
            var state = new DatasetState(dataset, start);
            _datasets.Add(dataset.Name, state);
            return new DatasetRegistration(state, Created: true);
        }
    }

    public DatasetState Get(string name)
    {
        lock (_lock)
        {
            return _datasets.TryGetValue(name, out var state) ? state : throw new DatasetNotFoundException(name);
        }
    }

    public DatasetState Commit(string name, PlanPosition position)
    {
        lock (_lock)
        {
            var state = _datasets.TryGetValue(name, out var found) ? found : throw new DatasetNotFoundException(name);
            var next = Checked(name, state.Dataset.Plan.Size, position);
            if (next.IsBefore(state.Position))
            {
                throw new PositionBehindException(name, state.Position, next);
            }

            var committed = state with { Position = next };
            _datasets[name] = committed;
            return committed;
        }
    }

    public void Restore(string name, PlanPosition position)
    {
        lock (_lock)
        {
            if (_datasets.TryGetValue(name, out var state))
            {
                _datasets[name] = state with { Position = Checked(name, state.Dataset.Plan.Size, position) };
            }
            else
            {
                _restored[name] = position;
            }
        }
    }

    // The position normalized (a complete epoch is the next one's start), or why it does not fit the dataset.
    private static PlanPosition Checked(string name, long size, PlanPosition position)
    {
        if (position.Epoch < 0 || position.Consumed < 0 || position.Consumed > size)
        {
            throw new InvalidPositionException(
                $"The position ({position}) of dataset '{name}' must have an epoch of at least 0 and ids consumed in [0, {size}], the dataset's size.");
        }

        return position.Normalize(size);
    }

    // Names every field that differs, with both values, so the caller sees which rank or run disagrees.
    private static DatasetConflictException Conflict(DatasetDefinition registered, DatasetDefinition requested)
    {
        var (a, b) = (registered.Plan, requested.Plan);
        var differences = new List<string>();
        Differ("size", a.Size, b.Size);
        Differ("global_batch", a.GlobalBatch, b.GlobalBatch);
        Differ("seed", a.Seed, b.Seed);
        Differ("shuffle", a.Shuffle, b.Shuffle);
        Differ("unit", registered.Unit, requested.Unit);
        return new DatasetConflictException(
            $"Dataset '{requested.Name}' is already registered with another plan ({string.Join("; ", differences)}); " +
            "every rank and every restart must register the same plan, or use another name.");

        void Differ<T>(string field, T was, T now)
        {
            if (!EqualityComparer<T>.Default.Equals(was, now))
            {
                differences.Add($"{field} {now} was asked, {was} is registered");
            }
        }
    }
}
