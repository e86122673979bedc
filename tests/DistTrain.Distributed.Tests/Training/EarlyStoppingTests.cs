using DistTrain.Training;

namespace DistTrain.Distributed.Tests.Training;

/// <summary>EarlyStopping's rule: stop after <c>patience</c> epochs in a row that do not beat the best by more than <c>minDelta</c>.</summary>
public sealed class EarlyStoppingTests
{
    private static int StopEpoch(EarlyStopping early, params double[] values)
    {
        for (var epoch = 1; epoch <= values.Length; epoch++)
            if (early.Update(epoch, values[epoch - 1])) return epoch;
        return 0;
    }

    [Fact]
    public void Min_mode_stops_patience_epochs_after_the_best()
    {
        var early = new EarlyStopping("val_loss", MonitorMode.Min, patience: 2);
        Assert.Equal(5, StopEpoch(early, 3, 2, 1, 1.5, 1.2, 0.1));
        Assert.Equal(3, early.BestEpoch);
        Assert.Equal(1, early.BestValue);
    }

    [Fact]
    public void Max_mode_counts_an_increase_as_improvement_and_equal_values_as_none()
    {
        var early = new EarlyStopping("val_accuracy", MonitorMode.Max, patience: 2);
        Assert.Equal(4, StopEpoch(early, 0.5, 0.7, 0.7, 0.6, 0.9));
        Assert.Equal(2, early.BestEpoch);
    }

    [Fact]
    public void An_improvement_smaller_than_min_delta_does_not_count()
    {
        var early = new EarlyStopping(patience: 2, minDelta: 0.1);
        Assert.Equal(3, StopEpoch(early, 1.0, 0.95, 0.92, 0.5));
        Assert.Equal(1, early.BestEpoch);
    }

    [Fact]
    public void A_nan_metric_and_bad_settings_are_refused_naming_them()
    {
        var e = Assert.Throws<ArgumentException>(() => new EarlyStopping("val_f1").Update(4, double.NaN));
        Assert.Contains("val_f1 is NaN at epoch 4", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new EarlyStopping(patience: 0));
    }
}
