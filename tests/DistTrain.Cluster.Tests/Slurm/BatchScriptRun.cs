using DistTrain.Cluster.Tests.Support;
using DistTrain.Tests.Shared;

namespace DistTrain.Cluster.Tests.Slurm;

/// <summary>
/// One submission of a script from slurm/ to the test cluster, as a user makes it from the repository
/// root, with the launcher built beside these tests as <c>disttrain</c> and the output file in a temp
/// folder that is deleted on dispose.
/// </summary>
internal sealed class BatchScriptRun : IDisposable
{
    private readonly SlurmCluster _cluster;

    private BatchScriptRun(SlurmCluster cluster, string folder)
    {
        _cluster = cluster;
        Folder = folder;
    }

    /// <summary>A private folder for the job's output and any files the test writes.</summary>
    public string Folder { get; }

    /// <summary>The launcher the scripts run (the DISTTRAIN variable they read).</summary>
    public static string Launcher => Path.Combine(AppContext.BaseDirectory, "disttrain");

    public static BatchScriptRun Create(SlurmCluster cluster) =>
        new(cluster, Directory.CreateTempSubdirectory("disttrain-sbatch-").FullName);

    /// <summary>
    /// Submits <c>slurm/<paramref name="script"/></c> with <paramref name="sbatchOptions"/> (which override
    /// its #SBATCH lines) and <paramref name="program"/> as its arguments; returns the job id.
    /// </summary>
    public Task<string> SubmitAsync(
        string script, IEnumerable<string> sbatchOptions, IEnumerable<string> program,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        Assert.True(File.Exists(Launcher), $"The launcher is not built beside the tests: {Launcher}.");
        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) { ["DISTTRAIN"] = Launcher };
        return _cluster.SubmitAsync(
            RepoPaths.Of(Path.Combine("slurm", script)),
            [.. sbatchOptions, $"--output={OutputPattern}"],
            program, env, RepoPaths.Root);
    }

    /// <summary>Waits until the job's output satisfies <paramref name="condition"/>, at most <paramref name="deadline"/>.</summary>
    public async Task WaitForOutputAsync(string jobId, Func<string, bool> condition, TimeSpan deadline)
    {
        var file = OutputPattern.Replace("%x-%j", $"*-{jobId}", StringComparison.Ordinal);
        var until = DateTime.UtcNow + deadline;
        var text = "";
        while (DateTime.UtcNow < until)
        {
            text = string.Concat(Directory.GetFiles(Folder, Path.GetFileName(file)).Select(File.ReadAllText));
            if (condition(text))
                return;
            await Task.Delay(250);
        }

        var job = await _cluster.ShowJobAsync(jobId);
        throw new TimeoutException($"Job {jobId}'s output did not show what was awaited within {deadline}: {job.Line}\n--- output\n{text}");
    }

    private string OutputPattern => Path.Combine(Folder, "%x-%j.out");

    /// <summary>The job's output file, all of it.</summary>
    public static string Output(SlurmJob job) => File.Exists(job.StdOut) ? File.ReadAllText(job.StdOut) : $"(no output file {job.StdOut})";

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
