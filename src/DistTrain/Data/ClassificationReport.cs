namespace DistTrain.Data;

/// <summary>One class's scores, as scikit-learn's <c>precision_recall_fscore_support(average=None)</c>.</summary>
/// <param name="Class">The class index.</param>
/// <param name="Precision">TP / (TP + FP): of the samples predicted as this class, the share that are; 0 when it was never predicted.</param>
/// <param name="Recall">TP / (TP + FN): of the samples of this class, the share predicted as it; 0 when it never occurs.</param>
/// <param name="F1">2·TP / (2·TP + FP + FN), the harmonic mean of precision and recall; 0 when the class was neither predicted nor present.</param>
/// <param name="Support">Samples of this class (TP + FN).</param>
public sealed record ClassScores(int Class, double Precision, double Recall, double F1, long Support);

/// <summary>
/// Precision, recall and F1 from a <see cref="ConfusionMatrix"/>: per class, macro (the unweighted mean over
/// all C classes, including those never present or never predicted) and micro (from the summed counts: for
/// single-label classification micro precision = micro recall = micro F1 = accuracy), and
/// <see cref="Binary"/> for the positive class of a binary problem. Undefined ratios (a zero denominator)
/// are 0, as scikit-learn's <c>zero_division=0</c>, so a class that never occurs pulls the macro mean down
/// rather than being left out (scikit-learn with <c>labels=range(C)</c>).
/// </summary>
public sealed class ClassificationReport
{
    internal ClassificationReport(ConfusionMatrix matrix)
    {
        var c = matrix.NumClasses;
        var classes = new ClassScores[c];
        long correct = 0;
        for (var k = 0; k < c; k++)
        {
            long tp = matrix[k, k], predicted = 0, actual = 0;
            for (var j = 0; j < c; j++)
            {
                predicted += matrix[j, k];
                actual += matrix[k, j];
            }
            long fp = predicted - tp, fn = actual - tp;
            classes[k] = new ClassScores(k, Ratio(tp, tp + fp), Ratio(tp, tp + fn), Ratio(2 * tp, 2 * tp + fp + fn), actual);
            correct += tp;
        }
        Classes = classes;
        Total = matrix.Total;
        Accuracy = Ratio(correct, Total);
        MacroPrecision = classes.Average(s => s.Precision);
        MacroRecall = classes.Average(s => s.Recall);
        MacroF1 = classes.Average(s => s.F1);
        // Single-label: every wrong sample is one FP (of its predicted class) and one FN (of its actual class).
        MicroPrecision = MicroRecall = MicroF1 = Accuracy;
    }

    /// <summary>Scores of classes 0 … C − 1, in order.</summary>
    public IReadOnlyList<ClassScores> Classes { get; }

    /// <summary>Samples scored.</summary>
    public long Total { get; }

    /// <summary>Correct predictions over samples scored (0 when none were).</summary>
    public double Accuracy { get; }

    /// <summary>The mean of the per-class precisions over all C classes.</summary>
    public double MacroPrecision { get; }

    /// <summary>The mean of the per-class recalls over all C classes.</summary>
    public double MacroRecall { get; }

    /// <summary>The mean of the per-class F1 scores over all C classes (not the F1 of the macro precision and recall).</summary>
    public double MacroF1 { get; }

    /// <summary>ΣTP / (ΣTP + ΣFP) over all classes; equals <see cref="Accuracy"/> for single-label classification.</summary>
    public double MicroPrecision { get; }

    /// <summary>ΣTP / (ΣTP + ΣFN) over all classes; equals <see cref="Accuracy"/> for single-label classification.</summary>
    public double MicroRecall { get; }

    /// <summary>The F1 of the micro precision and recall; equals <see cref="Accuracy"/> for single-label classification.</summary>
    public double MicroF1 { get; }

    /// <summary>The binary scores: precision, recall and F1 of <paramref name="positiveClass"/> (scikit-learn's <c>average='binary'</c>, <c>pos_label</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The class is outside [0, C).</exception>
    public ClassScores Binary(int positiveClass = 1)
    {
        if (positiveClass < 0 || positiveClass >= Classes.Count)
            throw new ArgumentOutOfRangeException(nameof(positiveClass), positiveClass, $"The positive class must be in [0, {Classes.Count - 1}].");
        return Classes[positiveClass];
    }

    private static double Ratio(long numerator, long denominator) => denominator == 0 ? 0 : (double)numerator / denominator;
}
