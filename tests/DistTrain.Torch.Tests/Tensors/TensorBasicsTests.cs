using DistTrain.Torch;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Tests.Tensors;

public class TensorBasicsTests
{
    [Fact]
    public void Tensor_from_array_round_trips_with_shape()
    {
        float[] data = [1, 2, 3, 4, 5, 6];
        using var t = tensor(data, [2, 3]);
        Assert.Equal([2L, 3L], t.shape);
        Assert.Equal(ScalarType.Float32, t.dtype);
        Assert.Equal(DeviceType.CPU, t.device_type);
        Assert.Equal(data, t.ToArray<float>());
    }

    [Fact]
    public void Integer_scalar_keeps_integer_tensors_integral_and_float_scalar_promotes()
    {
        using var ints = tensor(new long[] { 1, 2, 3 });
        using var plusInt = ints + 2;
        using var plusFloat = ints + 2.5;
        Assert.Equal(ScalarType.Int64, plusInt.dtype);
        Assert.Equal([3L, 4L, 5L], plusInt.ToArray<long>());
        Assert.Equal(ScalarType.Float32, plusFloat.dtype);
    }

    [Fact]
    public void Backward_of_sum_of_squares_gives_twice_the_input()
    {
        using var x = tensor(new double[] { 1, -2, 3 }, requires_grad: true);
        using var y = (x * x).sum();
        y.backward();
        using var g = x.grad!;
        Assert.Equal([2.0, -4.0, 6.0], g.ToArray<double>());
    }

    [Fact]
    public void No_grad_scope_stops_recording_and_restores_afterwards()
    {
        using var x = ones([2], requires_grad: true);
        using (no_grad())
        {
            using var y = x * 2;
            Assert.False(y.requires_grad);
        }
        Assert.True(is_grad_enabled());
        using var z = x * 2;
        Assert.True(z.requires_grad);
    }

    [Fact]
    public void Manual_seed_makes_randn_repeatable()
    {
        manual_seed(7);
        using var a = randn(5);
        manual_seed(7);
        using var b = randn(5);
        Assert.Equal(a.ToArray<float>(), b.ToArray<float>());
    }

    [Fact]
    public void Cuda_is_not_available_on_a_cpu_build()
    {
        Assert.Equal(cuda.device_count() > 0, cuda.is_available());
        if (!cuda.is_available())
            Assert.Throws<TorchException>(() => zeros([1], device: CUDA(0)));
    }
}
