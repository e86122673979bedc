namespace DistTrain.Training;

/// <summary>Whether a smaller or a larger value of the monitored metric is better.</summary>
public enum MonitorMode
{
    /// <summary>Smaller is better (a loss).</summary>
    Min,
    /// <summary>Larger is better (an accuracy, an F1).</summary>
    Max,
}

/// <summary>
/// Stops training when <see cref="Monitor"/> has not improved for <see cref="Patience"/> epochs in a row
/// (Keras's and Lightning's <c>EarlyStopping</c>): an epoch improves when its value beats the best so far by
/// more than <see cref="MinDelta"/>. The <see cref="Trainer"/> feeds it the validation metrics every rank
/// holds bitwise alike, so every rank takes the same decision at the same epoch.
/// </summary>
public sealed class EarlyStopping
{
    /// <summary>Stops after <paramref name="patience"/> epochs without improvement of <paramref name="monitor"/>.</summary>
    /// <param name="monitor">A metric of <see cref="EpochReport.Metrics"/>, for example "val_loss" or "val_accuracy".</param>
    /// <param name="mode">Whether smaller (<see cref="MonitorMode.Min"/>) or larger values are better.</param>
    /// <param name="patience">Epochs without improvement tolerated; the next one stops.</param>
    /// <param name="minDelta">The least change that counts as an improvement.</param>
    /// <exception cref="ArgumentException">The metric name is empty, the patience is below 1 or the delta negative.</exception>
    public EarlyStopping(string monitor = "val_loss", MonitorMode mode = MonitorMode.Min, int patience = 3, double minDelta = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(monitor);
        if (patience < 1) throw new ArgumentOutOfRangeException(nameof(patience), patience, $"The patience ({patience} epochs) must be at least 1.");
        if (!(minDelta >= 0)) throw new ArgumentOutOfRangeException(nameof(minDelta), minDelta, $"The least improvement ({minDelta}) must not be negative.");
        (Monitor, Mode, Patience, MinDelta) = (monitor, mode, patience, minDelta);
    }

    /// <summary>The metric watched.</summary>
    public string Monitor { get; }
    /// <summary>Whether smaller or larger is better.</summary>
    public MonitorMode Mode { get; }
    /// <summary>Epochs without improvement tolerated.</summary>
    public int Patience { get; }
    /// <summary>The least change that counts as an improvement.</summary>
    public double MinDelta { get; }

    /// <summary>The epoch with the best value so far (0 before the first).</summary>
    public int BestEpoch { get; private set; }
    /// <summary>The best value so far (NaN before the first).</summary>
    public double BestValue { get; private set; } = double.NaN;
    /// <summary>Epochs in a row without improvement.</summary>
    public int EpochsWithoutImprovement { get; private set; }

    /// <summary>
    /// Continues from a state read back from a checkpoint (its <see cref="BestEpoch"/>, <see cref="BestValue"/> and
    /// <see cref="EpochsWithoutImprovement"/> when it was taken), so that a resumed run stops at the epoch an
    /// uninterrupted one would.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An epoch or count is negative, or a best epoch comes without a best value.</exception>
    public void Restore(int bestEpoch, double bestValue, int epochsWithoutImprovement)
    {
        if (bestEpoch < 0) throw new ArgumentOutOfRangeException(nameof(bestEpoch), bestEpoch, $"The best epoch ({bestEpoch}) must not be negative (0: none yet).");
        if (epochsWithoutImprovement < 0)
            throw new ArgumentOutOfRangeException(nameof(epochsWithoutImprovement), epochsWithoutImprovement, $"The epochs without improvement ({epochsWithoutImprovement}) must not be negative.");
        if (bestEpoch > 0 && double.IsNaN(bestValue))
            throw new ArgumentOutOfRangeException(nameof(bestValue), bestValue, $"Epoch {bestEpoch} is the best so far, but its value is NaN.");
        (BestEpoch, BestValue, EpochsWithoutImprovement) = (bestEpoch, bestEpoch == 0 ? double.NaN : bestValue, epochsWithoutImprovement);
    }

    /// <summary>Records <paramref name="epoch"/>'s value; true when training should stop now.</summary>
    /// <exception cref="ArgumentException">The value is NaN.</exception>
    public bool Update(int epoch, double value)
    {
        if (double.IsNaN(value)) throw new ArgumentException($"The monitored metric {Monitor} is NaN at epoch {epoch}.", nameof(value));
        var improved = BestEpoch == 0 || (Mode == MonitorMode.Min ? value < BestValue - MinDelta : value > BestValue + MinDelta);
        if (improved)
        {
            (BestEpoch, BestValue, EpochsWithoutImprovement) = (epoch, value, 0);
            return false;
        }
        return ++EpochsWithoutImprovement >= Patience;
    }
}
