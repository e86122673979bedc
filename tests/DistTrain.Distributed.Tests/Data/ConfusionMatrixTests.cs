using DistTrain.Data;
using static TorchSharp.torch;

namespace DistTrain.Distributed.Tests.Data;

/// <summary>ConfusionMatrix and ClassificationReport on small cases worked out by hand (and as scikit-learn gives them).</summary>
public sealed class ConfusionMatrixTests
{
    private static ConfusionMatrix Counted(int classes, long[] actual, long[] predicted)
    {
        var matrix = new ConfusionMatrix(classes);
        using var p = tensor(predicted);
        using var t = tensor(actual);
        matrix.Update(p, t);
        return matrix;
    }

    [Fact]
    public void Update_counts_each_actual_predicted_pair_in_row_actual_column_predicted()
    {
        var m = Counted(3, actual: [0, 0, 1, 2, 2, 2], predicted: [0, 1, 1, 2, 0, 2]);
        Assert.Equal(new long[] { 1, 1, 0, 0, 1, 0, 1, 0, 2 }, m.ToArray());
        Assert.Equal(1, m[2, 0]);
        Assert.Equal(6, m.Total);
    }

    [Fact]
    public void Binary_precision_recall_and_f1_of_the_positive_class_match_the_hand_computation()
    {
        // TP 3 (1→1), FN 1 (1→0), FP 2 (0→1), TN 4.
        var m = Counted(2, actual: [1, 1, 1, 1, 0, 0, 0, 0, 0, 0], predicted: [1, 1, 1, 0, 1, 1, 0, 0, 0, 0]);
        var positive = m.Report().Binary();
        Assert.Equal(3.0 / 5, positive.Precision, 12);
        Assert.Equal(3.0 / 4, positive.Recall, 12);
        Assert.Equal(2.0 * 3 / (2 * 3 + 2 + 1), positive.F1, 12);
        Assert.Equal(4, positive.Support);
        Assert.Equal(7.0 / 10, m.Report().Accuracy, 12);
    }

    [Fact]
    public void Multi_class_macro_averages_every_class_and_micro_scores_equal_accuracy()
    {
        // Classes 0, 1, 2: per class (P, R) = (1/2, 1/2), (1/2, 1), (1, 2/3); F1 = 1/2, 2/3, 4/5.
        var report = Counted(3, actual: [0, 0, 1, 2, 2, 2], predicted: [0, 1, 1, 2, 0, 2]).Report();
        Assert.Equal(new[] { 0.5, 0.5, 1.0 }, report.Classes.Select(c => c.Precision).ToArray());
        Assert.Equal(new[] { 0.5, 1.0, 2.0 / 3 }, report.Classes.Select(c => c.Recall).ToArray(), new Tolerance(1e-12));
        Assert.Equal(new[] { 0.5, 2.0 / 3, 0.8 }, report.Classes.Select(c => c.F1).ToArray(), new Tolerance(1e-12));
        Assert.Equal((0.5 + 0.5 + 1.0) / 3, report.MacroPrecision, 12);
        Assert.Equal((0.5 + 1.0 + 2.0 / 3) / 3, report.MacroRecall, 12);
        Assert.Equal((0.5 + 2.0 / 3 + 0.8) / 3, report.MacroF1, 12);
        Assert.Equal(4.0 / 6, report.Accuracy, 12);
        Assert.Equal(report.Accuracy, report.MicroPrecision);
        Assert.Equal(report.Accuracy, report.MicroRecall);
        Assert.Equal(report.Accuracy, report.MicroF1);
    }

    [Fact]
    public void A_class_never_predicted_or_never_present_scores_0_and_counts_in_the_macro_mean()
    {
        // Class 2 never occurs and is never predicted; class 1 occurs but is never predicted.
        var report = Counted(3, actual: [0, 0, 1], predicted: [0, 0, 0]).Report();
        Assert.Equal(new ClassScores(1, 0, 0, 0, 1), report.Classes[1]);
        Assert.Equal(new ClassScores(2, 0, 0, 0, 0), report.Classes[2]);
        Assert.Equal(2.0 / 3 / 3, report.MacroPrecision, 12); // class 0: 2 of 3 predictions right
        Assert.Equal(1.0 / 3, report.MacroRecall, 12);
        Assert.Equal(0.8 / 3, report.MacroF1, 12);
    }

    [Fact]
    public void An_empty_matrix_reports_zeros()
    {
        var report = new ConfusionMatrix(2).Report();
        Assert.Equal(0, report.Accuracy);
        Assert.Equal(0, report.MacroF1);
        Assert.Equal(0, report.Total);
    }

    [Fact]
    public void Batches_add_up_to_the_whole()
    {
        var whole = Counted(4, actual: [0, 1, 2, 3, 3, 1], predicted: [1, 1, 2, 3, 0, 1]);
        var parts = Counted(4, actual: [0, 1, 2], predicted: [1, 1, 2]);
        using (var p = tensor(new long[] { 3, 0, 1 }))
        using (var t = tensor(new long[] { 3, 3, 1 }))
            parts.Update(p, t);
        Assert.Equal(whole.ToArray(), parts.ToArray());
    }

    [Fact]
    public void A_class_index_out_of_range_is_refused_with_the_range()
    {
        var e = Assert.Throws<ArgumentException>(() => Counted(3, actual: [0, 3], predicted: [0, 1]));
        Assert.Contains("[0, 2] for 3 classes", e.Message);
        Assert.Contains("[0, 3]", e.Message);
    }

    [Fact]
    public void Logits_instead_of_class_indices_are_refused_with_what_to_pass()
    {
        var matrix = new ConfusionMatrix(3);
        using var logits = zeros(4, 3);
        using var targets = zeros(4, ScalarType.Int64);
        var e = Assert.Throws<ArgumentException>(() => matrix.Update(logits, targets));
        Assert.Contains("argmax(1)", e.Message);
    }

    [Fact]
    public void Fewer_than_two_classes_are_refused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ConfusionMatrix(1));
        Assert.Contains("at least 2 classes", e.Message);
    }

    private sealed class Tolerance(double epsilon) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= epsilon;
        public int GetHashCode(double obj) => 0;
    }
}
