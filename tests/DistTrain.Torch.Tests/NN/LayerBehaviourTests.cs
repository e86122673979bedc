using DistTrain.Torch;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Tests.NN;

public class LayerBehaviourTests
{
    [Fact]
    public void Layers_have_pytorchs_parameter_shapes_and_state_names()
    {
        using var conv = nn.Conv2d(4, 6, (3, 5), groups: 2);
        Assert.Equal([6L, 2, 3, 5], conv.weight.shape);
        Assert.Equal([6L], conv.bias!.shape);
        using var bn = nn.BatchNorm2d(3);
        Assert.Equal(["weight", "bias", "running_mean", "running_var", "num_batches_tracked"], bn.state_dict().Keys);
        Assert.Equal([1f, 1f, 1f], bn.weight!.ToArray<float>());
        Assert.Equal([0f, 0f, 0f], bn.bias!.ToArray<float>());
        Assert.Equal([1f, 1f, 1f], bn.running_var!.ToArray<float>());
        using var noAffine = nn.BatchNorm1d(3, affine: false, track_running_stats: false);
        Assert.Empty(noAffine.state_dict());
    }

    [Fact]
    public void Embedding_padding_row_starts_at_zero()
    {
        using var embedding = nn.Embedding(5, 3, padding_idx: -1);
        Assert.Equal(4L, embedding.padding_idx);
        var w = embedding.weight.ToArray<float>();
        Assert.Equal([0f, 0f, 0f], w[12..]);
        Assert.Contains(w[..12], v => v != 0);
    }

    [Fact]
    public void Batch_norm_counts_training_batches_only()
    {
        using var bn = nn.BatchNorm1d(2);
        using var x = randn(4, 2);
        using (bn.call(x)) { }
        using (bn.call(x)) { }
        bn.eval();
        using (bn.call(x)) { }
        Assert.Equal(2L, bn.num_batches_tracked!.item<long>());
    }

    [Fact]
    public void Batch_norm_rejects_inputs_of_the_wrong_rank()
    {
        using var bn = nn.BatchNorm1d(2);
        using var x = zeros(1, 2, 3, 3);
        var error = Assert.Throws<ArgumentException>(() => bn.call(x));
        Assert.Equal("expected 2D or 3D input (got 4D input)", error.Message);
    }

    [Fact]
    public void Dropout_in_training_zeroes_some_and_scales_the_rest()
    {
        using var dropout = nn.Dropout(0.5);
        using var x = ones(1000);
        using var y = dropout.call(x);
        var values = y.ToArray<float>();
        Assert.All(values, v => Assert.True(v == 0f || v == 2f));
        Assert.InRange(values.Count(v => v == 0f), 400, 600);
    }

    [Fact]
    public void Invalid_arguments_are_rejected_with_the_value_and_the_rule()
    {
        var conv = Assert.Throws<ArgumentException>(() => nn.Conv2d(3, 4, 3, groups: 2));
        Assert.Contains("divisible by groups (2)", conv.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => nn.Dropout(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => nn.CrossEntropyLoss(label_smoothing: -0.1));
        Assert.Throws<ArgumentException>(() => nn.GELU("fast"));
    }

    [Fact]
    public void Functional_twins_compute_what_their_modules_compute()
    {
        using var scope = NewDisposeScope();
        var x = randn(2, 3, 6, 6);
        using var pool = nn.MaxPool2d(2);
        Assert.Equal(pool.call(x).ToArray<float>(), nn.functional.max_pool2d(x, 2).ToArray<float>());
        using var avg = nn.AvgPool2d(3, stride: 1, padding: 1);
        Assert.Equal(avg.call(x).ToArray<float>(), nn.functional.avg_pool2d(x, 3, 1, 1).ToArray<float>());
        using var adaptive = nn.AdaptiveAvgPool2d(1);
        Assert.Equal(adaptive.call(x).ToArray<float>(), nn.functional.adaptive_avg_pool2d(x, (1, 1)).ToArray<float>());
        using var conv = nn.Conv2d(3, 2, 3, stride: 2, padding: 1);
        Assert.Equal(conv.call(x).ToArray<float>(), nn.functional.conv2d(x, conv.weight, conv.bias, stride: 2, padding: 1).ToArray<float>());
        using var embedding = nn.Embedding(4, 2);
        var idx = tensor(new long[] { 3, 0 });
        Assert.Equal(embedding.call(idx).ToArray<float>(), nn.functional.embedding(idx, embedding.weight).ToArray<float>());
    }
}
