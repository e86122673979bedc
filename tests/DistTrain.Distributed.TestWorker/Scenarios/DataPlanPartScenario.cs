using System.Globalization;
using DistTrain.Data;

namespace DistTrain.Distributed.TestWorker.Scenarios;

/// <summary>
/// data-plan-part &lt;steps|all&gt;: one world's turn in an epoch, as after a restart: registers the plan of
/// <see cref="DataPlanEpochScenario"/> with the data plan's coordinator (<see cref="CoordinatorVariable"/>,
/// else the launcher's), prints where it says the job is ("start: …"), reads that many steps (every
/// step's ids, also an empty part) and prints them ("ids: …"); once every rank has read them, rank 0
/// commits the position reached, as a checkpoint would.
/// </summary>
public sealed class DataPlanPartScenario : IScenario
{
    /// <summary>The address of a coordinator that holds the data plan and outlives this world (the test's), if set.</summary>
    public const string CoordinatorVariable = "TEST_DATA_PLAN_COORDINATOR";

    public string Name => "data-plan-part";

    public int Run(string[] args)
    {
        using var context = Worker.Init();
        var planCoordinator = Environment.GetEnvironmentVariable(CoordinatorVariable) is { Length: > 0 } address ? new Uri(address) : context.Environment.Coordinator;
        using var plans = DataPlanClient.FromEnvironment(context.Environment with { Coordinator = planCoordinator });
        var sampler = plans.SamplerAsync("train", DataPlanEpochScenario.Plan).GetAwaiter().GetResult();
        Console.WriteLine($"start: {sampler.Position}");
        context.ProcessGroup.barrier(); // every rank read the start before anyone commits

        var steps = args[0] == "all" ? sampler.StepCount : Math.Min(sampler.StepCount, long.Parse(args[0], CultureInfo.InvariantCulture));
        var ids = new List<long>();
        for (var step = 0L; step < steps; step++) ids.AddRange(sampler.StepIds(step));
        sampler.Advance(steps);

        context.ProcessGroup.barrier(); // every rank trained the steps
        if (context.Rank == 0) plans.CommitAsync("train", sampler.Position).GetAwaiter().GetResult();
        Console.WriteLine($"ids: {string.Join(",", ids)}");
        return 0;
    }
}
