namespace DistTrain.Bench.Distributed;

/// <summary>One benchmark, selected by name on the command line. Add one by adding a file with a class that implements this.</summary>
public interface IBenchMode
{
    /// <summary>The name on the command line (for example <c>allreduce</c>).</summary>
    string Name { get; }

    /// <summary>Runs on this rank; rank 0 prints the result. Returns the exit code.</summary>
    int Run(string[] args);
}
