using DistTrain.Torch;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Tests.Tensors;

public class ElementTypeTests
{
    private static void RoundTrips<T>(T[] data, ScalarType expected) where T : unmanaged
    {
        using var t = tensor(data, [2, data.Length / 2]);
        Assert.Equal(expected, t.dtype);
        Assert.Equal(data, t.ToArray<T>());
        using var back = t.to(ScalarType.Float64).to(expected);
        Assert.Equal(data, back.ToArray<T>());
    }

    [Fact] public void Float32_round_trips() => RoundTrips(new[] { 1.5f, -2.25f, 0f, 1e30f }, ScalarType.Float32);
    [Fact] public void Float64_round_trips() => RoundTrips(new[] { Math.PI, -1e-300, 0, 1e300 }, ScalarType.Float64);
    [Fact] public void Float16_round_trips() => RoundTrips(new[] { (Half)1.5f, (Half)(-0.25f), (Half)0f, (Half)65504f }, ScalarType.Float16);
    [Fact] public void Int64_round_trips() => RoundTrips(new[] { 1L, -2L, 1L << 40, -(1L << 50) }, ScalarType.Int64);
    [Fact] public void Int32_round_trips() => RoundTrips(new[] { 1, -2, int.MaxValue, int.MinValue }, ScalarType.Int32);
    [Fact] public void Uint8_round_trips() => RoundTrips(new byte[] { 0, 1, 128, 255 }, ScalarType.Byte);
    [Fact] public void Bool_round_trips() => RoundTrips(new[] { true, false, false, true }, ScalarType.Bool);

    [Fact]
    public void Mixed_types_promote_as_in_PyTorch()
    {
        using var scope = NewDisposeScope();
        var bytes = tensor(new byte[] { 250, 10 });
        var ints = tensor(new[] { 1, 2 });
        Assert.Equal(ScalarType.Int32, (bytes + ints).dtype);
        Assert.Equal([4, 20], (bytes + 10).ToArray<byte>().Select(b => (int)b).ToArray()); // uint8 wraps: 260 → 4
        Assert.Equal(ScalarType.Float32, (ints * 0.5).dtype);
        Assert.Equal(ScalarType.Float32, (ints / ints).dtype); // true division of integers gives floats
        Assert.Equal(ScalarType.Float16, (ones([2], ScalarType.Float16) * 2.5).dtype); // a float scalar does not widen a half tensor
        Assert.Equal(ScalarType.Float64, (ones([2], ScalarType.Float32) + ones([2], ScalarType.Float64)).dtype);
        Assert.Equal(ScalarType.Int64, (tensor(new[] { true }) + tensor(new[] { 1L })).dtype);
    }
}
