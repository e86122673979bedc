namespace DistTrain.Distributed.TestWorker;

/// <summary>
/// One thing a worker process does and checks, selected by name on the command line. Add a scenario
/// by adding a file with a class that implements this interface; the registry finds it.
/// </summary>
public interface IScenario
{
    /// <summary>The name the tests pass as the first argument (for example <c>all-reduce</c>).</summary>
    string Name { get; }

    /// <summary>Runs the scenario; a failed check throws (<see cref="Check"/>). Returns the exit code (0: passed).</summary>
    int Run(string[] args);
}
