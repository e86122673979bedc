namespace DistTrain.Distributed.TestWorker.Ddp;

/// <summary>One DDP test scenario: the distributed context from the environment, then the body on this rank's group.</summary>
public abstract class DdpScenario : IScenario
{
    /// <summary>The tolerance of comparisons with a single process: |a − b| / (1 + |b|) (summation order differs).</summary>
    public const double Tolerance = 1e-5;

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public int Run(string[] args)
    {
        using var context = Worker.Init();
        Run(context.ProcessGroup, args);
        return 0;
    }

    /// <summary>The scenario's body on this rank's group.</summary>
    protected abstract void Run(ProcessGroup group, string[] args);
}
