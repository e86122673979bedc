using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace DistTrain.Distributed.TestWorker;

/// <summary>Checks a scenario makes; a failure throws with what was expected and what came.</summary>
public static class Check
{
    /// <summary>Fails unless <paramref name="condition"/> holds.</summary>
    public static void That(bool condition, string what)
    {
        if (!condition) throw new CheckFailedException($"check failed: {what}");
    }

    /// <summary>Fails unless the tensor's elements (of any type) equal <paramref name="expected"/> exactly, then prints "ok: <paramref name="what"/>".</summary>
    public static void Values(Tensor tensor, double[] expected, string what)
    {
        var actual = Doubles(tensor);
        var same = actual.Length == expected.Length && actual.Zip(expected).All(p => p.First == p.Second);
        That(same, $"{what}: expected [{Format(expected)}], got [{Format(actual)}]");
        Console.WriteLine($"ok: {what}");
    }

    /// <summary>Whether the tensors have the same shape, element type and elements (exactly).</summary>
    public static bool Same(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return a.shape.SequenceEqual(b.shape) && a.dtype == b.dtype && a.eq(b).all().item<bool>();
    }

    /// <summary>The tensor's elements as doubles, in order.</summary>
    public static double[] Doubles(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        return tensor.to(ScalarType.Float64).contiguous().data<double>().ToArray();
    }

    /// <summary>Runs <paramref name="action"/> and returns the exception of type <typeparamref name="T"/> it throws; fails otherwise.</summary>
    public static T Throws<T>(Action action, string what) where T : Exception
    {
        try
        {
            action();
        }
        catch (T e)
        {
            return e;
        }
        catch (Exception e)
        {
            throw new CheckFailedException($"check failed: {what}: expected {typeof(T).Name}, got {e.GetType().Name}: {e.Message}");
        }

        throw new CheckFailedException($"check failed: {what}: expected {typeof(T).Name}, nothing was thrown");
    }

    /// <summary>
    /// The largest difference between same-named tensors, each relative to its tensor's scale:
    /// max |a − b| / (1 + max |b|) (summation order differs between ranks and one process; gradients that
    /// nearly cancel would make an element-wise relative error meaningless). Fails when a name is missing.
    /// </summary>
    public static double MaxDifference(IEnumerable<(string Name, Tensor Tensor)> actual, IReadOnlyDictionary<string, Tensor> expected) =>
        WorstDifference(actual, expected).Difference;

    /// <summary>As <see cref="MaxDifference"/>, with the name of the tensor where it is largest.</summary>
    public static (double Difference, string Name) WorstDifference(IEnumerable<(string Name, Tensor Tensor)> actual, IReadOnlyDictionary<string, Tensor> expected)
    {
        using var scope = NewDisposeScope();
        (double, string) worst = (0, "");
        foreach (var (name, a) in actual)
        {
            That(expected.TryGetValue(name, out var b), $"the reference has no {name}");
            That(a.shape.SequenceEqual(b!.shape), $"{name} is shaped [{string.Join(", ", a.shape)}], the reference [{string.Join(", ", b.shape)}]");
            var da = a.to(ScalarType.Float64);
            var db = b.to(ScalarType.Float64);
            var diff = a.numel() == 0 ? 0 : (da - db).abs().max().item<double>() / (1 + db.abs().max().item<double>());
            if (diff > worst.Item1) worst = (diff, name);
        }
        return worst;
    }

    private static string Format(double[] values) => string.Join(", ", values.Select(v => v.ToString("0.#####", CultureInfo.InvariantCulture)));
}

/// <summary>A scenario's check failed.</summary>
public sealed class CheckFailedException(string message) : Exception(message);
