using DistTrain.Torch;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Tests.Tensors;

public class CreationTests
{
    [Fact]
    public void Like_factories_copy_shape_dtype_and_device_unless_told_otherwise()
    {
        using var scope = NewDisposeScope();
        var x = ones([2, 3], ScalarType.Float64);
        Assert.Equal([0.0, 0, 0, 0, 0, 0], zeros_like(x).ToArray<double>());
        Assert.Equal([1.0, 1, 1, 1, 1, 1], ones_like(x).ToArray<double>());
        Assert.Equal([7L, 7, 7, 7, 7, 7], full_like(x, 7, ScalarType.Int64).ToArray<long>());
        Assert.Equal([2L, 3L], empty_like(x).shape);
        Assert.Equal(ScalarType.Float64, rand_like(x).dtype);
        Assert.Equal(ScalarType.Float32, randn_like(x, ScalarType.Float32).dtype);
        Assert.True(zeros_like(x, requires_grad: true).requires_grad);
        Assert.Equal(DeviceType.CPU, ones_like(x).device_type);
        var r = rand_like(x);
        Assert.True(r.min().item<double>() >= 0 && r.max().item<double>() < 1);
    }

    [Fact]
    public void Linspace_includes_both_ends_and_eye_has_ones_on_the_diagonal()
    {
        using var scope = NewDisposeScope();
        Assert.Equal([0f, 0.25f, 0.5f, 0.75f, 1f], linspace(0, 1, 5).ToArray<float>());
        Assert.Equal([1f, 0, 0, 0, 1, 0, 0, 0, 1], eye(3).ToArray<float>());
        Assert.Equal([2L, 3L], eye(2, 3).shape);
        Assert.Equal([1L, 0, 0, 0, 1, 0], eye(2, 3, ScalarType.Int64).ToArray<long>());
    }

    [Fact]
    public void Randperm_holds_every_index_once_and_follows_the_seed()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var p = randperm(50);
        Assert.Equal(ScalarType.Int64, p.dtype);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), p.sort().values.ToArray<long>());
        manual_seed(3);
        Assert.Equal(p.ToArray<long>(), randperm(50).ToArray<long>());
    }

    [Fact]
    public void Multi_dimensional_arrays_keep_their_shape_and_row_major_order()
    {
        using var scope = NewDisposeScope();
        var three = tensor(new int[,,] { { { 1, 2 }, { 3, 4 } }, { { 5, 6 }, { 7, 8 } }, { { 9, 10 }, { 11, 12 } } });
        Assert.Equal([3L, 2L, 2L], three.shape);
        Assert.Equal(7, three[1, 1][0].item<int>());
        var four = tensor(new double[1, 2, 1, 3]);
        Assert.Equal([1L, 2L, 1L, 3L], four.shape);
        var any = from_array<long>(new long[,] { { 1, 2, 3 } });
        Assert.Equal([1L, 3L], any.shape);
        Assert.Throws<ArgumentException>(() => from_array<float>(new long[2, 2]));
        Assert.Equal([0L, 4L], tensor(new float[0, 4]).shape);
    }

    [Fact]
    public void ToNDArray_gives_back_an_array_of_the_tensors_rank()
    {
        using var scope = NewDisposeScope();
        int[,,] data = { { { 1, 2, 3 } }, { { 4, 5, 6 } } };
        var back = (int[,,])tensor(data).ToNDArray<int>();
        Assert.Equal(data, back);
        var matrix = (float[,])arange(6, ScalarType.Float32).reshape(2, 3).t().ToNDArray<float>();
        Assert.Equal(new float[,] { { 0, 3 }, { 1, 4 }, { 2, 5 } }, matrix);
        Assert.Equal(new[] { 7L }, (long[])tensor(7L).ToNDArray<long>());
    }

    [Fact]
    public void Half_and_bfloat16_round_trip_with_their_precision()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1.0f, 3.14159265f, -2.5e-3f, 65504f, 1e-8f, 300.7f });
        // Reference values from PyTorch: x.to(bfloat16).float() and x.to(float16).float()
        Assert.Equal([1.0f, 3.140625f, -0.00250244140625f, 65536f, 1.0011717677116394e-08f, 300f], x.bfloat16().@float().ToArray<float>());
        var half = x.half();
        Assert.Equal(ScalarType.Float16, half.dtype);
        Assert.Equal([1.0f, 3.140625f, -0.0025005340576171875f, 65504f, 0f, 300.75f], half.@float().ToArray<float>());
        var fromHalves = tensor(new[] { (Half)1.5f, (Half)(-2f) });
        Assert.Equal(ScalarType.Float16, fromHalves.dtype);
        Assert.Equal([(Half)1.5f, (Half)(-2f)], fromHalves.ToArray<Half>());
    }

    [Fact]
    public void Type_shortcuts_convert_and_type_as_follows_another_tensor()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1.7, -1.7, 0.0 });
        Assert.Equal([1L, -1L, 0L], x.@long().ToArray<long>());
        Assert.Equal([1, -1, 0], x.@int().ToArray<int>());
        Assert.Equal([true, true, false], x.@bool().ToArray<bool>());
        Assert.Equal(ScalarType.Float32, x.@float().dtype);
        Assert.Equal(ScalarType.Byte, x.abs().@byte().dtype);
        Assert.Equal(ScalarType.Int64, x.type_as(tensor(new long[] { 1 })).dtype);
        Assert.True(x.is_floating_point());
        Assert.False(x.@long().is_floating_point());
    }
}
