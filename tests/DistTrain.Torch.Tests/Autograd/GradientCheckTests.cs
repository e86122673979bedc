using DistTrain.Torch;
using Xunit.Sdk;
using static DistTrain.Torch.torch;
using static DistTrain.Torch.Tests.Autograd.GradientCheck;

namespace DistTrain.Torch.Tests.Autograd;

/// <summary>Gradients of libtorch's operations, reached through our bindings, against finite differences.</summary>
public class GradientCheckTests
{
    [Fact] public void Matmul_gradient_matches_finite_differences() => Check(x => x[0].matmul(x[1]), Normal(2, 3), Normal(3, 4));
    [Fact] public void Broadcast_mul_gradient_matches_finite_differences() => Check(x => x[0] * x[1], Normal(2, 3), Normal(3));
    [Fact] public void Div_gradient_matches_finite_differences() => Check(x => x[0] / x[1], Normal(2, 3), Positive(2, 3));
    [Fact] public void Exp_gradient_matches_finite_differences() => Check(x => x[0].exp(), Normal(2, 3));
    [Fact] public void Log_gradient_matches_finite_differences() => Check(x => x[0].log(), Positive(2, 3));
    [Fact] public void Sqrt_gradient_matches_finite_differences() => Check(x => x[0].sqrt(), Positive(4));
    [Fact] public void Tanh_gradient_matches_finite_differences() => Check(x => x[0].tanh(), Normal(2, 3));
    [Fact] public void Sigmoid_gradient_matches_finite_differences() => Check(x => x[0].sigmoid(), Normal(2, 3));
    [Fact] public void Pow_with_scalar_exponent_gradient_matches_finite_differences() => Check(x => x[0].pow(3), Normal(2, 3));
    [Fact] public void Pow_with_tensor_exponent_gradient_matches_finite_differences() => Check(x => x[0].pow(x[1]), Positive(2, 3), Normal(2, 3));
    [Fact] public void Sum_over_a_dimension_gradient_matches_finite_differences() => Check(x => x[0].sum(1).square(), Normal(3, 4));
    [Fact] public void Mean_over_dimensions_gradient_matches_finite_differences() => Check(x => x[0].mean([0, 2], keepdim: true).exp(), Normal(2, 3, 2));
    [Fact] public void Std_gradient_matches_finite_differences() => Check(x => x[0].std(1), Normal(3, 4));
    [Fact] public void Norm_gradient_matches_finite_differences() => Check(x => x[0].norm(0, keepdim: false), Normal(3, 2));
    [Fact] public void Softmax_gradient_matches_finite_differences() => Check(x => x[0].softmax(1), Normal(2, 4));
    [Fact] public void Log_softmax_gradient_matches_finite_differences() => Check(x => x[0].log_softmax(0), Normal(3, 2));
    [Fact] public void Logsumexp_gradient_matches_finite_differences() => Check(x => x[0].logsumexp(1), Normal(2, 4));
    [Fact] public void Reshape_and_permute_gradient_matches_finite_differences() =>
        Check(x => x[0].reshape(2, 3, 2).permute(2, 0, 1) * x[1], Normal(3, 4), Normal(2, 2, 3));
    [Fact] public void Cat_gradient_matches_finite_differences() => Check(x => cat([x[0], x[1].square()], 1), Normal(2, 2), Normal(2, 3));
    [Fact] public void Stack_and_split_gradient_matches_finite_differences() =>
        Check(x => stack([.. x[0].split(2, 1)], 0) * x[1], Normal(3, 4), Normal(2, 3, 2));
    [Fact] public void Index_select_gradient_matches_finite_differences() =>
        Check(x => x[0].index_select(0, tensor(new long[] { 2, 0, 2 })).tanh(), Normal(3, 2));
    [Fact] public void Gather_gradient_matches_finite_differences() =>
        Check(x => x[0].gather(1, tensor(new long[,] { { 0, 0 }, { 2, 1 } })).exp(), Normal(2, 3));
    [Fact] public void Slicing_gradient_matches_finite_differences() => Check(x => x[0][TensorIndex.Colon, 1..].sin(), Normal(3, 3));
    [Fact] public void Clamp_gradient_matches_finite_differences() => Check(x => x[0].clamp(-0.5, 0.5) * x[0], Normal(4, 3));
    [Fact] public void Where_gradient_matches_finite_differences() => Check(x => where(x[0] > 0, x[0].square(), x[1].exp()), Normal(3, 3), Normal(3, 3));
    [Fact] public void Max_over_a_dimension_gradient_matches_finite_differences() => Check(x => x[0].max(1).values * 2, Normal(3, 4));
    [Fact] public void Topk_gradient_matches_finite_differences() => Check(x => x[0].topk(2).values.square(), Normal(2, 5));
    [Fact] public void Addmm_gradient_matches_finite_differences() => Check(x => x[0].addmm(x[1], x[2], beta: 0.5, alpha: 2), Normal(3), Normal(2, 4), Normal(4, 3));

    [Fact]
    public void The_check_fails_when_autograd_misses_a_path()
    {
        // x.detach() * x hides one of the two paths: autograd gives x, the true derivative of x² is 2x.
        Assert.ThrowsAny<XunitException>(() => Check(x => x[0].detach() * x[0], Normal(3)));
    }
}
