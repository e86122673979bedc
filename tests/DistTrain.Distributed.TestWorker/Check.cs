using System.Globalization;
using static DistTrain.Torch.torch;

namespace DistTrain.Distributed.TestWorker;

/// <summary>Checks a scenario makes; a failure throws with what was expected and what came.</summary>
public static class Check
{
    /// <summary>Fails unless <paramref name="condition"/> holds.</summary>
    public static void That(bool condition, string what)
    {
        if (!condition) throw new CheckFailedException($"check failed: {what}");
    }

    /// <summary>Fails unless the tensor's elements equal <paramref name="expected"/> (to 1e-5), then prints "ok: <paramref name="what"/>".</summary>
    public static void Values(Tensor tensor, float[] expected, string what)
    {
        var actual = tensor.ToArray<float>();
        var same = actual.Length == expected.Length && actual.Zip(expected).All(p => Math.Abs(p.First - p.Second) <= 1e-5f * Math.Max(1f, Math.Abs(p.Second)));
        That(same, $"{what}: expected [{Format(expected)}], got [{Format(actual)}]");
        Console.WriteLine($"ok: {what}");
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

    private static string Format(float[] values) => string.Join(", ", values.Select(v => v.ToString("0.#####", CultureInfo.InvariantCulture)));
}

/// <summary>A scenario's check failed.</summary>
public sealed class CheckFailedException(string message) : Exception(message);
