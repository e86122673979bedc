namespace DistTrain.Cluster.Tests.Slurm;

/// <summary>One job as <c>scontrol show job -o ID</c> prints it: <c>Key=Value</c> fields on one line.</summary>
internal sealed class SlurmJob
{
    private static readonly HashSet<string> FinalStates =
        ["COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE", "PREEMPTED"];

    private readonly Dictionary<string, string> _fields;

    private SlurmJob(Dictionary<string, string> fields, string line)
    {
        _fields = fields;
        Line = line;
    }

    /// <summary>The line it was parsed from, for failure messages.</summary>
    public string Line { get; }

    /// <summary>PENDING, RUNNING, COMPLETED, FAILED, ...</summary>
    public string State => this["JobState"];

    /// <summary>The batch script's exit status and the signal that ended it, <c>status:signal</c>.</summary>
    public string ExitCode => this["ExitCode"];

    /// <summary>The file the batch script's standard output went to.</summary>
    public string StdOut => this["StdOut"];

    /// <summary>True once the job can change no more.</summary>
    public bool IsFinished => FinalStates.Contains(State);

    public string this[string key] => _fields.TryGetValue(key, out var value)
        ? value
        : throw new KeyNotFoundException($"No {key} in: {Line}");

    /// <summary>Parses one line of <c>scontrol show job -o</c> (values never hold spaces, except Command/WorkDir paths, which we do not read).</summary>
    public static SlurmJob Parse(string line)
    {
        var fields = new Dictionary<string, string>();
        foreach (var token in line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = token.IndexOf('=');
            if (equals > 0)
                fields.TryAdd(token[..equals], token[(equals + 1)..]);
        }

        return new SlurmJob(fields, line);
    }
}
