using System.Text.Json.Nodes;
using DistTrain.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;
using LRScheduler = TorchSharp.torch.optim.lr_scheduler.LRScheduler;

namespace DistTrain.Distributed.Tests.Checkpoints;

/// <summary>A learning-rate scheduler saved as JSON and restored into a new one continues as the saved one would have.</summary>
public sealed class SchedulerStateTests
{
    // The validation losses fed to ReduceLROnPlateau: the best comes first, so what the saved one remembers matters later.
    private static readonly double[] Metrics = [0.5, 0.9, 0.9, 0.9, 0.8, 0.8, 0.8, 0.8, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7];

    private static optim.Optimizer Optimizer(int groups = 1)
    {
        var parameters = Enumerable.Range(0, groups).Select(_ => new TorchSharp.Modules.SGD.ParamGroup([nn.Parameter(zeros(2))], lr: 0.1)).ToArray();
        return optim.SGD(parameters, 0.1);
    }

    private static LRScheduler Build(string kind, optim.Optimizer optimizer) => kind switch
    {
        "step" => optim.lr_scheduler.StepLR(optimizer, step_size: 3, gamma: 0.5),
        "multistep" => optim.lr_scheduler.MultiStepLR(optimizer, [3, 5], gamma: 0.3),
        "exponential" => optim.lr_scheduler.ExponentialLR(optimizer, gamma: 0.9),
        "cosine-lambda" => optim.lr_scheduler.LambdaLR(optimizer, done => (1 + Math.Cos(Math.PI * done / 10)) / 2),
        "cosine" => optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max: 10),
        "onecycle" => optim.lr_scheduler.OneCycleLR(optimizer, max_lr: 0.5, total_steps: 20),
        "sequential" => optim.lr_scheduler.SequentialLR(optimizer,
            [optim.lr_scheduler.LinearLR(optimizer, start_factor: 0.25, total_iters: 3), optim.lr_scheduler.StepLR(optimizer, 2, 0.5)], [3]),
        "chained" => optim.lr_scheduler.ChainedLR([optim.lr_scheduler.StepLR(optimizer, 3, 0.5), optim.lr_scheduler.ExponentialLR(optimizer, 0.9)]),
        "plateau" => optim.lr_scheduler.ReduceLROnPlateau(optimizer, factor: 0.5, patience: 1),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static void Step(string kind, LRScheduler scheduler, int epoch)
    {
        if (kind == "plateau") scheduler.step(Metrics[epoch]);
        else scheduler.step();
    }

    private static double Rate(optim.Optimizer optimizer) => optimizer.ParamGroups.First().LearningRate;

    // The next `count` learning rates of the optimizer, stepping from epoch `from`.
    private static List<double> NextRates(string kind, LRScheduler scheduler, optim.Optimizer optimizer, int from, int count)
    {
        var rates = new List<double>();
        for (var epoch = from; epoch < from + count; epoch++)
        {
            Step(kind, scheduler, epoch);
            rates.Add(Rate(optimizer));
        }
        return rates;
    }

    [Theory]
    [InlineData("step", true)]
    [InlineData("multistep", true)]
    [InlineData("exponential", false)]
    [InlineData("cosine-lambda", true)]
    [InlineData("cosine", true)]
    [InlineData("onecycle", true)]
    [InlineData("sequential", true)]
    [InlineData("chained", true)]
    [InlineData("plateau", true)]
    public void A_restored_scheduler_gives_the_next_learning_rates_of_the_saved_one(string kind, bool stateMatters)
    {
        var optimizer = Optimizer();
        var scheduler = Build(kind, optimizer);
        NextRates(kind, scheduler, optimizer, from: 0, count: 4);
        // Through text, as the manifest holds it.
        var state = (JsonObject)JsonNode.Parse(SchedulerState.Capture(scheduler).ToJsonString())!;

        var resumedOptimizer = Optimizer();
        var resumed = Build(kind, resumedOptimizer);
        resumedOptimizer.ParamGroups.First().LearningRate = Rate(optimizer); // what the checkpointed optimizer state restores
        SchedulerState.Restore(resumed, state);
        Assert.Equal(Rate(optimizer), Rate(resumedOptimizer)); // restoring the scheduler changes no rate
        Assert.Equal(scheduler.get_last_lr(), resumed.get_last_lr());
        Assert.Equal(SchedulerState.LastEpoch(scheduler), SchedulerState.LastEpoch(resumed));

        var fresh = Optimizer();
        var notRestored = Build(kind, fresh);
        fresh.ParamGroups.First().LearningRate = Rate(optimizer);
        var expected = NextRates(kind, scheduler, optimizer, from: 4, count: 8);
        Assert.Equal(expected, NextRates(kind, resumed, resumedOptimizer, from: 4, count: 8));
        // Where the scheduler's own state matters (an ExponentialLR needs only the optimizer's rate), it made the difference.
        if (stateMatters) Assert.NotEqual(expected, NextRates(kind, notRestored, fresh, from: 4, count: 8));
    }

    [Fact]
    public void A_plateau_schedulers_infinite_best_survives_the_json()
    {
        var optimizer = Optimizer();
        var state = SchedulerState.Capture(Build("plateau", optimizer)); // best is +∞ before the first epoch
        var text = state.ToJsonString();
        Assert.Contains("\"best\":\"Infinity\"", text);

        var resumed = Build("plateau", Optimizer());
        SchedulerState.Restore(resumed, (JsonObject)JsonNode.Parse(text)!);
        Assert.Equal(SchedulerState.Capture(resumed).ToJsonString(), text);
    }

    [Fact]
    public void Restoring_into_another_scheduler_type_names_both()
    {
        var state = SchedulerState.Capture(Build("step", Optimizer()));
        var e = Assert.Throws<InvalidDataException>(() => SchedulerState.Restore(Build("exponential", Optimizer()), state));
        Assert.Contains("StepLR", e.Message);
        Assert.Contains("ExponentialLR", e.Message);
        Assert.Contains("build the same scheduler", e.Message);
    }

    [Fact]
    public void Restoring_into_an_optimizer_of_other_parameter_groups_says_so()
    {
        var state = SchedulerState.Capture(Build("step", Optimizer(groups: 1)));
        var e = Assert.Throws<InvalidDataException>(() => SchedulerState.Restore(Build("step", Optimizer(groups: 2)), state));
        Assert.Contains("1 parameter group(s), this one's optimizer 2", e.Message);
    }

    [Fact]
    public void A_state_with_a_field_the_scheduler_lacks_is_refused_by_name()
    {
        var state = SchedulerState.Capture(Build("step", Optimizer()));
        ((JsonObject)state["fields"]!)["_warmup"] = 3;
        var e = Assert.Throws<InvalidDataException>(() => SchedulerState.Restore(Build("step", Optimizer()), state));
        Assert.Contains("'_warmup'", e.Message);
    }
}
