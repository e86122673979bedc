using DistTrain.Torch.Native;

namespace DistTrain.Torch;

/// <summary>
/// One entry of an index list, as in Python's <c>t[0, 1:3, ..., None, mask]</c>: a single position,
/// a slice, an ellipsis, a new axis, a bool or a tensor (int64 positions or a bool mask).
/// Integers, C# ranges (<c>1..3</c>, <c>..^1</c>), bools and tensors convert implicitly.
/// </summary>
public readonly struct TensorIndex
{
    /// <summary>Marks a slice bound that was not given (INT64_MIN in the C ABI).</summary>
    internal const long Absent = long.MinValue;

    /// <summary>A start beyond any size (libtorch clamps it), small enough for libtorch 2.x's symbolic integers.</summary>
    private const long PastTheEnd = long.MaxValue >> 2;

    internal readonly IndexKind Kind;
    internal readonly long Start, Stop, Step;
    internal readonly torch.Tensor? IndexTensor;

    private TensorIndex(IndexKind kind, long start = 0, long stop = Absent, long step = Absent, torch.Tensor? tensor = null)
    {
        Kind = kind;
        Start = start;
        Stop = stop;
        Step = step;
        IndexTensor = tensor;
    }

    /// <summary>Position <paramref name="index"/> (negative counts from the end); the dimension disappears.</summary>
    public static TensorIndex Single(long index) => new(IndexKind.Int, index);

    /// <summary>Positions start, start + step, … before stop; a null bound means the start or the end.</summary>
    public static TensorIndex Slice(long? start = null, long? stop = null, long? step = null)
    {
        if (step is <= 0) throw new ArgumentOutOfRangeException(nameof(step), step, "Slice steps must be positive, as in libtorch.");
        return new(IndexKind.Slice, start ?? Absent, stop ?? Absent, step ?? Absent);
    }

    /// <summary>Every position of a dimension (Python's <c>:</c>).</summary>
    public static TensorIndex Colon => Slice();

    /// <summary>As many <see cref="Colon"/>s as needed to index every dimension (Python's <c>...</c>).</summary>
    public static TensorIndex Ellipsis => new(IndexKind.Ellipsis);

    /// <summary>A new dimension of size 1 (Python's <c>None</c>).</summary>
    public static TensorIndex None => new(IndexKind.None);

    /// <summary>A bool index: true adds a dimension of size 1, false one of size 0.</summary>
    public static TensorIndex Bool(bool value) => new(IndexKind.Bool, value ? 1 : 0);

    /// <summary>Positions given by an int64 tensor, or the elements a bool mask selects.</summary>
    public static TensorIndex Tensor(torch.Tensor index) => new(IndexKind.Tensor, tensor: index);

    /// <summary>A slice from a C# range; <c>^n</c> counts from the end.</summary>
    public static TensorIndex Slice(Range range)
    {
        // ^0 as a start is past the end: any start beyond the size gives an empty slice, as in Python.
        long start = !range.Start.IsFromEnd ? range.Start.Value : range.Start.Value == 0 ? PastTheEnd : -range.Start.Value;
        long stop = range.End.IsFromEnd ? (range.End.Value == 0 ? Absent : -range.End.Value) : range.End.Value;
        return new(IndexKind.Slice, start, stop, Absent);
    }

    public static implicit operator TensorIndex(long index) => Single(index);
    public static implicit operator TensorIndex(int index) => Single(index);
    public static implicit operator TensorIndex(Range range) => Slice(range);
    public static implicit operator TensorIndex(bool value) => Bool(value);
    public static implicit operator TensorIndex(torch.Tensor index) => Tensor(index);
}
