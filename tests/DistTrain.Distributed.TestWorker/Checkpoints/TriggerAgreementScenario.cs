using DistTrain.Checkpoints;

namespace DistTrain.Distributed.TestWorker.Checkpoints;

/// <summary>
/// trigger-agreement: 45 steps of CheckpointTriggers.Decide with a save every 15 steps, agreeing every 4; the last
/// rank gets a SIGUSR1 as step 6 ends, rank 0 a SIGTERM as step 25 ends (CheckpointTriggers.Request, as the handlers
/// would). Prints "decisions STEP:SIGNAL:STOP,..." for every step that saves; the test compares the ranks.
/// </summary>
public sealed class TriggerAgreementScenario : IScenario
{
    public string Name => "trigger-agreement";

    public int Run(string[] args)
    {
        using var context = Worker.Init();
        var group = context.ProcessGroup;
        using var triggers = new CheckpointTriggers { EveryNSteps = 15, AgreeEverySteps = 4 };
        var saves = new List<string>();
        for (var step = 1; step <= 45; step++)
        {
            if (group.rank() == group.size() - 1 && step == 6)
                triggers.Request();
            if (group.rank() == 0 && step == 25)
                triggers.Request(stop: true);
            var decision = triggers.Decide(group, step, last: step == 45);
            if (decision.Save)
                saves.Add($"{step}:{decision.Signal}:{(decision.Stop ? "stop" : "go")}");
            if (decision.Stop)
                break;
        }

        Console.WriteLine($"decisions {string.Join(',', saves)}");
        return 0;
    }
}
