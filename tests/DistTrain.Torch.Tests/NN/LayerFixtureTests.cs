using DistTrain.Torch;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Tests.NN;

/// <summary>
/// Each layer, loaded with the weights in the fixture, gives the output, gradients and updated state
/// that python3-torch computed for the same input (Fixtures/make_nn_fixtures.py builds the same modules).
/// </summary>
public class LayerFixtureTests
{
    private static readonly Dictionary<string, Func<nn.Module<Tensor, Tensor>>> layers = new()
    {
        ["linear"] = () => nn.Linear(5, 3),
        ["linear_no_bias"] = () => nn.Linear(5, 3, hasBias: false),
        ["conv2d"] = () => nn.Conv2d(2, 3, 3, stride: 2, padding: 1),
        ["conv2d_groups"] = () => nn.Conv2d(4, 4, (3, 2), stride: (1, 2), padding: (2, 1), dilation: (2, 1), groups: 2),
        ["max_pool2d"] = () => nn.MaxPool2d(2),
        ["max_pool2d_padded"] = () => nn.MaxPool2d(3, stride: 2, padding: 1, ceil_mode: true),
        ["avg_pool2d"] = () => nn.AvgPool2d(2),
        ["avg_pool2d_padded"] = () => nn.AvgPool2d(3, stride: 2, padding: 1, count_include_pad: false),
        ["adaptive_avg_pool2d"] = () => nn.AdaptiveAvgPool2d((2, 3)),
        ["batch_norm1d_train"] = () => nn.BatchNorm1d(3),
        ["batch_norm1d_cumulative"] = () => nn.BatchNorm1d(3, momentum: null),
        ["batch_norm2d_train"] = () => nn.BatchNorm2d(3),
        ["batch_norm2d_eval"] = () => nn.BatchNorm2d(3),
        ["embedding"] = () => nn.Embedding(10, 4, padding_idx: 1),
        ["dropout"] = () => nn.Dropout(0.3),
        ["dropout_eval"] = () => nn.Dropout(0.3),
        ["flatten"] = () => nn.Flatten(),
        ["relu"] = () => nn.ReLU(),
        ["leaky_relu"] = () => nn.LeakyReLU(0.2),
        ["sigmoid"] = () => nn.Sigmoid(),
        ["tanh"] = () => nn.Tanh(),
        ["gelu"] = () => nn.GELU(),
        ["gelu_tanh"] = () => nn.GELU(approximate: "tanh"),
        ["softmax"] = () => nn.Softmax(dim: 1),
        ["log_softmax"] = () => nn.LogSoftmax(dim: -1),
        ["mlp"] = () => nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 3)),
    };

    public static TheoryData<string> Names() => new(layers.Keys);

    [Fact]
    public void Every_layer_case_in_the_fixture_is_tested()
    {
        var layerCases = Fixtures.CaseNames().Where(n => Fixtures.Case(n).TryGetProperty("state", out _));
        Assert.Equal(layerCases.OrderBy(n => n), layers.Keys.OrderBy(n => n));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Layer_matches_pytorch_forward_backward_and_state(string name)
    {
        var fixture = Fixtures.Case(name);
        using var scope = NewDisposeScope();
        using var module = layers[name]();
        var state = Fixtures.StateDict(fixture.GetProperty("state"));
        module.load_state_dict(state);
        module.train(fixture.GetProperty("train").GetBoolean());

        var input = Fixtures.ToTensor(fixture.GetProperty("input"));
        var floating = input.dtype == ScalarType.Float32;
        if (floating) input.requires_grad = true;
        if (fixture.GetProperty("seed") is { ValueKind: System.Text.Json.JsonValueKind.Number } seed) manual_seed(seed.GetInt64());

        var output = module.call(input);
        Fixtures.AssertClose(fixture.GetProperty("output"), output, "output");

        output.backward(Fixtures.ToTensor(fixture.GetProperty("grad_output")));
        if (floating) Fixtures.AssertClose(fixture.GetProperty("input_grad"), input.grad!, "input grad");
        foreach (var expected in fixture.GetProperty("param_grads").EnumerateObject())
        {
            var parameter = module.named_parameters().Single(p => p.name == expected.Name).parameter;
            Fixtures.AssertClose(expected.Value, parameter.grad!, $"grad of {expected.Name}");
        }
        var after = module.state_dict();
        foreach (var expected in fixture.GetProperty("state_after").EnumerateObject())
            Fixtures.AssertClose(expected.Value, after[expected.Name], $"state {expected.Name} after forward");
        Assert.Equal(fixture.GetProperty("state_after").EnumerateObject().Select(p => p.Name), after.Keys);
    }
}
