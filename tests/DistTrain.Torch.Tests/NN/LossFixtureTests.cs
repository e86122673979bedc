using DistTrain.Torch;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Tests.NN;

/// <summary>Each loss gives the value and input gradient python3-torch computed for the same input and target.</summary>
public class LossFixtureTests
{
    private delegate nn.Module<Tensor, Tensor, Tensor> LossFactory(Tensor? weight, Tensor? pos_weight);

    private sealed class LogSoftmaxThenNll(nn.Module<Tensor, Tensor, Tensor> nll) : nn.Module<Tensor, Tensor, Tensor>
    {
        public override Tensor forward(Tensor input, Tensor target)
        {
            using var logProbabilities = nn.functional.log_softmax(input, 1);
            return nll.call(logProbabilities, target);
        }
    }

    private static readonly Dictionary<string, LossFactory> losses = new()
    {
        ["mse_mean"] = (_, _) => nn.MSELoss(),
        ["mse_sum"] = (_, _) => nn.MSELoss(nn.Reduction.Sum),
        ["mse_none"] = (_, _) => nn.MSELoss(nn.Reduction.None),
        ["l1_mean"] = (_, _) => nn.L1Loss(),
        ["cross_entropy"] = (_, _) => nn.CrossEntropyLoss(),
        ["cross_entropy_sum"] = (_, _) => nn.CrossEntropyLoss(reduction: nn.Reduction.Sum),
        ["cross_entropy_none"] = (_, _) => nn.CrossEntropyLoss(reduction: nn.Reduction.None),
        ["cross_entropy_weighted_smoothed_ignored"] = (w, _) => nn.CrossEntropyLoss(w, ignore_index: 2, label_smoothing: 0.1),
        ["cross_entropy_probabilities"] = (_, _) => nn.CrossEntropyLoss(),
        ["cross_entropy_2d"] = (_, _) => nn.CrossEntropyLoss(),
        ["nll"] = (_, _) => new LogSoftmaxThenNll(nn.NLLLoss()),
        ["nll_weighted"] = (w, _) => nn.NLLLoss(w),
        ["bce"] = (_, _) => nn.BCELoss(),
        ["bce_weighted_sum"] = (w, _) => nn.BCELoss(w, nn.Reduction.Sum),
        ["bce_with_logits"] = (_, _) => nn.BCEWithLogitsLoss(),
        ["bce_with_logits_pos_weight_none"] = (w, pw) => nn.BCEWithLogitsLoss(w, nn.Reduction.None, pw),
    };

    public static TheoryData<string> Names() => new(losses.Keys);

    [Fact]
    public void Every_loss_case_in_the_fixture_is_tested()
    {
        var lossCases = Fixtures.CaseNames().Where(n => Fixtures.Case(n).TryGetProperty("target", out _));
        Assert.Equal(lossCases.OrderBy(n => n), losses.Keys.OrderBy(n => n));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Loss_matches_pytorch_value_and_input_gradient(string name)
    {
        var fixture = Fixtures.Case(name);
        using var scope = NewDisposeScope();
        Tensor? Optional(string key) => fixture.GetProperty(key).IsNull() ? null : Fixtures.ToTensor(fixture.GetProperty(key));
        using var loss = losses[name](Optional("weight"), Optional("pos_weight"));
        var input = Fixtures.ToTensor(fixture.GetProperty("input"));
        input.requires_grad = true;
        var target = Fixtures.ToTensor(fixture.GetProperty("target"));

        var output = loss.call(input, target);
        Fixtures.AssertClose(fixture.GetProperty("output"), output, "loss");
        output.backward(Fixtures.ToTensor(fixture.GetProperty("grad_output")));
        Fixtures.AssertClose(fixture.GetProperty("input_grad"), input.grad!, "input grad");
    }
}
