using System.Text.Json;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Tests.Optim;

/// <summary>Learning-rate schedules and gradient clipping against PyTorch 1.13's values (optim_fixtures.json).</summary>
public class SchedulerAndClipTests
{
    [Theory]
    [InlineData("StepLR")]
    [InlineData("CosineAnnealingLR")]
    [InlineData("LinearLR")]
    public void Scheduler_lr_sequence_matches_pytorch(string kind)
    {
        var fixture = OptimFixtures.Data.GetProperty("schedulers").EnumerateArray().Single(s => s.GetProperty("kind").GetString() == kind);
        var o = fixture.GetProperty("options");
        using var p0 = zeros([1], requires_grad: true);
        using var p1 = zeros([1], requires_grad: true);
        using var optimizer = optim.SGD([new Torch.Optim.ParamGroup([p0], lr: 0.1), new Torch.Optim.ParamGroup([p1], lr: 0.03)], lr: 0.1);
        Torch.Optim.LRScheduler scheduler = kind switch
        {
            "StepLR" => optim.lr_scheduler.StepLR(optimizer, o.GetProperty("step_size").GetInt32(), o.GetProperty("gamma").GetDouble()),
            "CosineAnnealingLR" => optim.lr_scheduler.CosineAnnealingLR(optimizer, o.GetProperty("T_max").GetInt32(), o.GetProperty("eta_min").GetDouble()),
            _ => optim.lr_scheduler.LinearLR(optimizer, o.GetProperty("start_factor").GetDouble(), o.GetProperty("end_factor").GetDouble(), o.GetProperty("total_iters").GetInt32()),
        };
        var expected = fixture.GetProperty("lrs");
        for (var step = 0; step < expected.GetArrayLength(); step++)
        {
            if (step > 0)
            {
                optimizer.step();
                scheduler.step();
            }
            var want = expected[step].EnumerateArray().Select(x => x.GetDouble()).ToArray();
            var got = scheduler.get_last_lr();
            for (var g = 0; g < want.Length; g++)
            {
                Assert.True(Math.Abs(want[g] - got[g]) <= 1e-15, $"{kind} epoch {step} group {g}: {got[g]:R} vs PyTorch {want[g]:R}");
                Assert.Equal(got[g], optimizer.param_groups[g].lr);
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Clip_grad_norm_scales_gradients_and_returns_the_total_norm_like_pytorch(int index)
    {
        var fixture = OptimFixtures.Data.GetProperty("clip")[index];
        var normType = fixture.GetProperty("norm_type") is { ValueKind: JsonValueKind.String } ? double.PositiveInfinity : fixture.GetProperty("norm_type").GetDouble();
        var parameters = OptimFixtures.NewParams();
        OptimFixtures.SetGrads(parameters, 0);

        var total = nn.utils.clip_grad_norm_(parameters, fixture.GetProperty("max_norm").GetDouble(), normType);

        Assert.Equal((float)fixture.GetProperty("total_norm").GetDouble(), (float)total, 6);
        var clipped = fixture.GetProperty("clipped");
        for (var i = 0; i < parameters.Length; i++)
        {
            using var g = parameters[i].grad!;
            var want = OptimFixtures.Floats(clipped[i]);
            var got = g.ToArray<float>();
            for (var j = 0; j < want.Length; j++) Assert.Equal(want[j], got[j], 6);
            parameters[i].Dispose();
        }
    }

    [Fact]
    public void Clip_grad_norm_of_parameters_without_gradients_is_zero()
    {
        using var p = zeros([3], requires_grad: true);
        Assert.Equal(0.0, nn.utils.clip_grad_norm_([p], 1.0));
    }

    private static Torch.Optim.LRScheduler MakeScheduler(string kind, Torch.Optim.Optimizer optimizer, int setting = 3) => kind switch
    {
        "StepLR" => optim.lr_scheduler.StepLR(optimizer, step_size: setting, gamma: 0.5),
        "CosineAnnealingLR" => optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max: setting, eta_min: 0.001),
        _ => optim.lr_scheduler.LinearLR(optimizer, start_factor: 0.25, total_iters: setting),
    };

    [Theory]
    [InlineData("StepLR")]
    [InlineData("CosineAnnealingLR")]
    [InlineData("LinearLR")]
    public void A_schedule_resumed_from_state_dicts_continues_exactly_where_it_stopped(string kind)
    {
        using var p = zeros([2], requires_grad: true);
        using var optimizer = optim.SGD([p], lr: 0.1, momentum: 0.9);
        var scheduler = MakeScheduler(kind, optimizer);
        var uninterrupted = new List<double>();
        Dictionary<string, object>? schedulerState = null;
        Torch.Optim.OptimizerStateDict? optimizerState = null;
        for (var epoch = 0; epoch < 9; epoch++)
        {
            if (epoch == 4) (schedulerState, optimizerState) = (scheduler.state_dict(), optimizer.state_dict());
            scheduler.step();
            uninterrupted.Add(scheduler.get_last_lr()[0]);
        }

        using var p2 = zeros([2], requires_grad: true);
        using var resumedOptimizer = optim.SGD([p2], lr: 0.1, momentum: 0.9);
        // PyTorch's order: construct both, then load the optimizer's state (restoring the learning rates the
        // scheduler's construction set), then the scheduler's.
        var resumed = MakeScheduler(kind, resumedOptimizer);
        resumedOptimizer.load_state_dict(optimizerState!);
        resumed.load_state_dict(schedulerState!);
        Assert.Equal(4, resumed.last_epoch);
        var continued = new List<double>();
        for (var epoch = 4; epoch < 9; epoch++)
        {
            resumed.step();
            continued.Add(resumed.get_last_lr()[0]);
        }
        Assert.Equal(uninterrupted.Skip(4), continued);
    }

    [Fact]
    public void A_state_dict_with_other_settings_or_missing_keys_is_refused_with_the_reason()
    {
        using var p = zeros([2], requires_grad: true);
        using var optimizer = optim.SGD([p], lr: 0.1);
        var saved = MakeScheduler("StepLR", optimizer, setting: 3).state_dict();
        var other = MakeScheduler("StepLR", optimizer, setting: 5);

        var differs = Assert.Throws<ArgumentException>(() => other.load_state_dict(saved));
        Assert.Contains("step_size = 3, but this StepLR has step_size = 5", differs.Message);

        saved.Remove("_last_lr");
        saved["step_size"] = 5.0;
        var missing = Assert.Throws<ArgumentException>(() => other.load_state_dict(saved));
        Assert.Contains("has no '_last_lr'", missing.Message);
        Assert.Equal(0, other.last_epoch);
    }
}
