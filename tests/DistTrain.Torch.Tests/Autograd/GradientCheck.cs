using DistTrain.Torch;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Tests.Autograd;

/// <summary>
/// Compares libtorch's autograd gradients with central finite differences in float64. The output is
/// projected on fixed random weights, L = Σ f(x) ⊙ w, so that one backward pass checks the whole
/// vector-Jacobian product: ∂L/∂xᵢ from autograd against (L(x + h·eᵢ) − L(x − h·eᵢ)) / 2h.
/// </summary>
internal static class GradientCheck
{
    private const double Step = 1e-6;
    private const double Tolerance = 1e-6;

    /// <summary>An input to generate: its shape and whether it must be positive (for log, sqrt, pow…).</summary>
    internal sealed record Input(long[] Shape, bool Positive)
    {
        public Tensor Create() => Positive ? rand(Shape, ScalarType.Float64) + 0.5 : randn(Shape, ScalarType.Float64);
    }

    /// <summary>Standard normal values.</summary>
    public static Input Normal(params long[] shape) => new(shape, false);

    /// <summary>Uniform values in [0.5, 1.5).</summary>
    public static Input Positive(params long[] shape) => new(shape, true);

    /// <summary>Fails (an xUnit assertion) when any element's autograd gradient differs from the finite difference.</summary>
    public static void Check(Func<Tensor[], Tensor> f, params Input[] inputs)
    {
        using var scope = NewDisposeScope();
        manual_seed(20240601);
        var leaves = inputs.Select(i => i.Create().requires_grad_()).ToArray();
        var output = f(leaves);
        Assert.Equal(ScalarType.Float64, output.dtype);
        var weights = randn_like(output);
        (output * weights).sum().backward();

        var data = leaves.Select(l => l.ToArray<double>()).ToArray();
        for (var k = 0; k < leaves.Length; k++)
        {
            var analytic = leaves[k].grad?.ToArray<double>() ?? new double[data[k].Length];
            for (var i = 0; i < data[k].Length; i++)
            {
                var original = data[k][i];
                data[k][i] = original + Step;
                var plus = Loss(f, data, inputs, weights);
                data[k][i] = original - Step;
                var minus = Loss(f, data, inputs, weights);
                data[k][i] = original;
                var numeric = (plus - minus) / (2 * Step);
                var allowed = Tolerance * Math.Max(1, Math.Abs(numeric));
                Assert.True(Math.Abs(numeric - analytic[i]) <= allowed,
                    $"input {k}, element {i}: autograd gives {analytic[i]:R}, finite differences give {numeric:R}");
            }
        }
    }

    private static double Loss(Func<Tensor[], Tensor> f, double[][] data, Input[] inputs, Tensor weights)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var values = data.Select((d, k) => tensor(d, inputs[k].Shape)).ToArray();
        return (f(values) * weights).sum().item<double>();
    }
}
