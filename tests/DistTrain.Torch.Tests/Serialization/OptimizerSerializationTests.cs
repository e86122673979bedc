using DistTrain.Torch.Serialization;
using DistTrain.Torch.Tests.Optim;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Tests.Serialization;

/// <summary>optimizer.save(path) / optimizer.load(path) through safetensors.</summary>
public sealed class OptimizerSerializationTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("dt-optim-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static void Run(Torch.Optim.Optimizer optimizer, Tensor[] parameters, int from, int to)
    {
        for (var step = from; step < to; step++)
        {
            OptimFixtures.SetGrads(parameters, step);
            optimizer.step();
        }
    }

    [Theory]
    [InlineData("adam_amsgrad")]
    [InlineData("sgd_two_groups")]
    public void An_optimizer_loaded_from_a_file_continues_exactly_like_an_uninterrupted_run(string name)
    {
        var fixture = OptimFixtures.Optimizer(name);
        var straight = OptimFixtures.NewParams();
        using (var optimizer = OptimizerStepTests.Build(fixture, straight)) Run(optimizer, straight, 0, 5);

        var path = Path.Combine(dir, "optimizer.safetensors");
        var first = OptimFixtures.NewParams();
        using (var before = OptimizerStepTests.Build(fixture, first))
        {
            Run(before, first, 0, 2);
            before.save(path);
        }
        var resumed = first.Select(p => { using var d = p.detach(); return d.clone().requires_grad_(); }).ToArray();
        using var after = OptimizerStepTests.Build(fixture, resumed);
        after.param_groups[0].lr = 123; // must be restored from the file
        after.load(path);
        Run(after, resumed, 2, 5);

        for (var i = 0; i < straight.Length; i++)
            Assert.Equal(straight[i].ToArray<float>(), resumed[i].ToArray<float>());
    }

    [Fact]
    public void Loading_another_optimizers_state_fails_naming_both()
    {
        var path = Path.Combine(dir, "adam.safetensors");
        using var p = ones([2], requires_grad: true);
        using (var adam = optim.Adam([p])) adam.save(path);
        using var sgd = optim.SGD([p], lr: 0.1);
        var e = Assert.Throws<InvalidOperationException>(() => sgd.load(path));
        Assert.Contains("Adam optimizer, which cannot be loaded into a SGD", e.Message);
    }
}
