using DistTrain.Protocol.DataPlan;

namespace DistTrain.Coordinator.DataPlan;

/// <summary>
/// The job's data plans: per named dataset, its plan (seed, size, global batch) and its committed
/// position (epoch, ids consumed), O(1) state each, never a list of ids. Ranks compute their own ids
/// from these with <see cref="EpochSchedule"/>. Every member is thread-safe and returns at once.
/// </summary>
public interface IDataPlans
{
    /// <summary>
    /// Registers <paramref name="dataset"/>, or returns the state of the equal one already registered
    /// under its name (so every rank may register the same plan).
    /// </summary>
    /// <exception cref="DatasetConflictException">A different plan is registered under the name; the message names what differs.</exception>
    DatasetRegistration Register(DatasetDefinition dataset);

    /// <summary>The dataset registered as <paramref name="name"/> and its committed position.</summary>
    /// <exception cref="DatasetNotFoundException">No dataset of that name is registered.</exception>
    DatasetState Get(string name);

    /// <summary>
    /// Moves the committed position of <paramref name="name"/> to <paramref name="position"/> (a
    /// complete epoch becomes the start of the next one). Committing the current position again
    /// changes nothing.
    /// </summary>
    /// <exception cref="DatasetNotFoundException">No dataset of that name is registered.</exception>
    /// <exception cref="InvalidPositionException">The position is outside the dataset (negative epoch, consumed outside [0, size]).</exception>
    /// <exception cref="PositionBehindException">The position comes before the committed one.</exception>
    DatasetState Commit(string name, PlanPosition position);

    /// <summary>
    /// Sets the committed position of <paramref name="name"/> to a committed checkpoint's position, also
    /// backwards (when resuming from an older checkpoint because a newer one does not verify). When no
    /// dataset of that name is registered yet (a coordinator that just recovered from its checkpoint
    /// directory), the position is kept and becomes the dataset's committed position when it registers.
    /// </summary>
    /// <exception cref="InvalidPositionException">The position is outside the registered dataset (negative epoch, consumed outside [0, size]).</exception>
    void Restore(string name, PlanPosition position);
}

/// <summary>What a dataset's ids name.</summary>
public enum DatasetUnit
{
    /// <summary>Each id is one sample.</summary>
    Samples,

    /// <summary>Each id is one shard (a file of many samples).</summary>
    Shards,
}

/// <summary>A named dataset's plan.</summary>
/// <param name="Name">The dataset's name, unique in the job.</param>
/// <param name="Plan">Its seed, size, global batch and whether epochs are shuffled.</param>
/// <param name="Unit">What its ids name.</param>
public sealed record DatasetDefinition(string Name, DataPlanSpec Plan, DatasetUnit Unit);

/// <summary>A dataset and its committed position.</summary>
/// <param name="Dataset">The dataset, as registered.</param>
/// <param name="Position">The committed position.</param>
public sealed record DatasetState(DatasetDefinition Dataset, PlanPosition Position);

/// <summary>The outcome of <see cref="IDataPlans.Register"/>.</summary>
/// <param name="State">The dataset's state.</param>
/// <param name="Created">Whether the call created it.</param>
public sealed record DatasetRegistration(DatasetState State, bool Created);

/// <summary>The base of every data plan failure.</summary>
public abstract class DataPlanException(string message) : Exception(message);

/// <summary>No dataset of that name is registered.</summary>
public sealed class DatasetNotFoundException(string name)
    : DataPlanException($"No dataset named '{name}' is registered; register its plan first (RegisterDataset).");

/// <summary>A different plan is already registered under the name.</summary>
public sealed class DatasetConflictException(string message) : DataPlanException(message);

/// <summary>A position that no dataset of that size has.</summary>
public sealed class InvalidPositionException(string message) : DataPlanException(message);

/// <summary>A commit would move the position backwards.</summary>
public sealed class PositionBehindException(string name, PlanPosition committed, PlanPosition requested)
    : DataPlanException($"The position ({requested}) of dataset '{name}' comes before its committed position ({committed}); positions only move forward.");
