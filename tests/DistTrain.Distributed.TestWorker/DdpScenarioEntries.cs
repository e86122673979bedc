namespace DistTrain.Distributed.TestWorker;

/// <summary>One DDP test scenario: the distributed context from the environment, then the check in <see cref="DdpScenarios"/>.</summary>
public abstract class DdpScenario : IScenario
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public int Run(string[] args)
    {
        using var context = Worker.Init();
        Run(context.ProcessGroup);
        return 0;
    }

    /// <summary>The scenario's body on this rank's group.</summary>
    protected abstract void Run(DistTrain.Torch.Distributed.ProcessGroup group);
}

/// <summary>See <see cref="DdpScenarios.GradientsMatchSingleProcess"/>.</summary>
public sealed class DdpGradientsScenario : DdpScenario
{
    public override string Name => "ddp-gradients";
    protected override void Run(DistTrain.Torch.Distributed.ProcessGroup group) => DdpScenarios.GradientsMatchSingleProcess(group);
}

/// <summary>See <see cref="DdpScenarios.ParametersIdenticalAfterTraining"/>.</summary>
public sealed class DdpParametersIdenticalScenario : DdpScenario
{
    public override string Name => "ddp-parameters-identical";
    protected override void Run(DistTrain.Torch.Distributed.ProcessGroup group) => DdpScenarios.ParametersIdenticalAfterTraining(group);
}

/// <summary>See <see cref="DdpScenarios.NoSyncAccumulationMatchesLargeBatch"/>.</summary>
public sealed class DdpNoSyncScenario : DdpScenario
{
    public override string Name => "ddp-no-sync";
    protected override void Run(DistTrain.Torch.Distributed.ProcessGroup group) => DdpScenarios.NoSyncAccumulationMatchesLargeBatch(group);
}

/// <summary>See <see cref="DdpScenarios.UnusedParameterIsNamed"/>.</summary>
public sealed class DdpUnusedParameterScenario : DdpScenario
{
    public override string Name => "ddp-unused-parameter";
    protected override void Run(DistTrain.Torch.Distributed.ProcessGroup group) => DdpScenarios.UnusedParameterIsNamed(group);
}

/// <summary>See <see cref="DdpScenarios.FindUnusedParametersCountsThemAsZero"/>.</summary>
public sealed class DdpFindUnusedParametersScenario : DdpScenario
{
    public override string Name => "ddp-find-unused-parameters";
    protected override void Run(DistTrain.Torch.Distributed.ProcessGroup group) => DdpScenarios.FindUnusedParametersCountsThemAsZero(group);
}

/// <summary>
/// See <see cref="DdpScenarios.PeerKilledMidTraining"/>: collectives time out after 30 s, so a hang would
/// show as a timeout; survivors exit with 3 after printing the error, skipping the broken group's teardown.
/// </summary>
public sealed class DdpPeerKilledScenario : IScenario
{
    public string Name => "ddp-peer-killed";

    public int Run(string[] args)
    {
        using var context = Worker.Init(TimeSpan.FromSeconds(30));
        var code = DdpScenarios.PeerKilledMidTraining(context.ProcessGroup);
        Console.Out.Flush();
        Environment.Exit(code);
        return code;
    }
}
