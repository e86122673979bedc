using DistTrain.Tests.Shared;
using System.Net;
using System.Net.Sockets;
using DistTrain.Cluster.Tests.Support;

namespace DistTrain.Cluster.Tests.Slurm;

/// <summary>
/// A real one-node SLURM cluster (Debian's slurm-wlm with munge) started for the tests and torn down
/// after them: its own munged on a private socket, slurmctld and slurmd configured without cgroups,
/// everything under one temp folder that is deleted at the end. Needs root, as CI has.
/// </summary>
public sealed class SlurmCluster : IAsyncLifetime
{
    private static readonly string[] RequiredPrograms =
        ["munged", "mungekey", "runuser", "slurmctld", "slurmd", "sbatch", "scontrol", "sinfo", "scancel", "srun"];

    private SlurmConfig? _config;

    /// <summary>The cluster's configuration; valid after start.</summary>
    internal SlurmConfig Config => _config ?? throw new InvalidOperationException("The cluster has not started.");

    /// <summary>The environment SLURM's client commands need to find this cluster.</summary>
    internal IReadOnlyDictionary<string, string> ClientEnvironment => new Dictionary<string, string> { ["SLURM_CONF"] = Config.ConfPath };

    public async Task InitializeAsync()
    {
        var missing = RequiredPrograms.Where(p => !Shell.IsOnPath(p)).ToArray();
        if (missing.Length > 0)
            throw new InvalidOperationException(
                $"SLURM is not installed (missing: {string.Join(", ", missing)}). Run scripts/setup.sh, which installs slurmctld, slurmd, slurm-client and munge.");
        if (Environment.UserName != "root")
            throw new InvalidOperationException("The SLURM tests start slurmctld, slurmd and munged, which needs root (as CI runs). Run them as root.");

        var root = Directory.CreateTempSubdirectory("disttrain-slurm-").FullName;
        File.SetUnixFileMode(root, (UnixFileMode)0b111_101_101);
        // As many CPUs and GPUs as the scripts in slurm/ ask for on a node (SlurmdParameters=config_overrides
        // lets a node declare more than it has).
        _config = new SlurmConfig(root, await ShortHostNameAsync(), Cpus: 64, Gpus: 8, TestPorts.Free(), TestPorts.Free(), FirstJobId: Random.Shared.Next(1_000, 100_000));
        try
        {
            await StartMungeAsync(root);
            foreach (var dir in new[] { "state", "spool", "log", "gpu" })
                Directory.CreateDirectory(Path.Combine(root, dir));
            foreach (var gpu in Config.FakeGpuFiles)
                await File.WriteAllTextAsync(gpu, "");
            await File.WriteAllTextAsync(Config.ConfPath, Config.Render());
            await File.WriteAllTextAsync(Config.GresConfPath, Config.RenderGres());
            (await Shell.RunAsync("slurmctld", ["-f", Config.ConfPath])).EnsureSuccess();
            (await Shell.RunAsync("slurmd", ["-f", Config.ConfPath])).EnsureSuccess();
            await WaitForIdleNodeAsync(TimeSpan.FromSeconds(30));
        }
        catch (Exception ex)
        {
            var logs = ReadLogs();
            await DisposeAsync();
            throw new InvalidOperationException($"The test SLURM cluster did not start: {ex.Message}\n{logs}", ex);
        }
    }

    /// <summary>Submits <paramref name="script"/> with <c>sbatch</c> and returns the job id.</summary>
    internal async Task<string> SubmitAsync(
        string script, IEnumerable<string> sbatchOptions, IEnumerable<string> scriptArguments,
        IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        var env = new Dictionary<string, string>(environment);
        foreach (var (name, value) in ClientEnvironment)
            env[name] = value;
        var result = await Shell.RunAsync("sbatch", ["--parsable", .. sbatchOptions, script, .. scriptArguments], env, workingDirectory: workingDirectory);
        return result.EnsureSuccess().Output.Trim().Split(';')[0];
    }

    /// <summary>Signals the job's batch script, as <c>sbatch --signal=B:SIGNAL@SECONDS</c> does before the time limit.</summary>
    internal async Task SignalBatchScriptAsync(string jobId, string signal) =>
        (await Shell.RunAsync("scancel", ["--batch", $"--signal={signal}", jobId], ClientEnvironment)).EnsureSuccess();

    /// <summary>The job as scontrol sees it now.</summary>
    internal async Task<SlurmJob> ShowJobAsync(string jobId)
    {
        var result = await Shell.RunAsync("scontrol", ["show", "job", "-o", jobId], ClientEnvironment);
        return SlurmJob.Parse(result.EnsureSuccess().Output);
    }

    /// <summary>
    /// Polls the job twice a second until it is finished (COMPLETED, FAILED, TIMEOUT, ...) and returns it;
    /// throws <see cref="TimeoutException"/>, with the job's last state and the daemons' logs, after <paramref name="deadline"/>.
    /// </summary>
    internal async Task<SlurmJob> WaitForJobAsync(string jobId, TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        while (true)
        {
            var job = await ShowJobAsync(jobId);
            if (job.IsFinished)
                return job;
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"Job {jobId} did not finish within {deadline}: {job.Line}\n{ReadLogs()}");
            await Task.Delay(500);
        }
    }

    /// <summary>The tails of the daemons' logs, for failure messages.</summary>
    internal string ReadLogs()
    {
        if (_config is null || !Directory.Exists(_config.LogDirectory))
            return "";
        return string.Join('\n', Directory.GetFiles(_config.LogDirectory).Order().Select(file =>
            $"--- {Path.GetFileName(file)} (last lines)\n{string.Join('\n', File.ReadLines(file).TakeLast(30))}"));
    }

    public async Task DisposeAsync()
    {
        if (_config is null)
            return;
        var config = _config;
        _config = null;
        if (File.Exists(config.ControllerPidFile))
        {
            // Jobs outlive slurmd: cancel them first so no training process stays behind.
            await TryAsync(() => Shell.RunAsync("scancel", ["--full", "--user=root"], new Dictionary<string, string> { ["SLURM_CONF"] = config.ConfPath }, TimeSpan.FromSeconds(10)));
            await Task.Delay(500);
        }

        foreach (var pidFile in new[] { config.NodePidFile, config.ControllerPidFile, Path.Combine(config.Root, "munge-run", "munged.pid") })
            await StopAsync(pidFile);
        await TryAsync(() => { Directory.Delete(config.Root, recursive: true); return Task.CompletedTask; });
    }

    private async Task StartMungeAsync(string root)
    {
        // munged checks its folders: the key's is private to the munge user, the socket's must be
        // reachable by every user.
        var keyDir = Path.Combine(root, "munge");
        var runDir = Path.Combine(root, "munge-run");
        foreach (var dir in new[] { keyDir, runDir })
        {
            Directory.CreateDirectory(dir);
            File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
            (await Shell.RunAsync("chown", ["munge:munge", dir])).EnsureSuccess();
        }

        var key = Path.Combine(keyDir, "munge.key");
        (await Shell.RunAsync("runuser", ["-u", "munge", "--", "mungekey", "--create", "--keyfile", key])).EnsureSuccess();
        (await Shell.RunAsync("runuser",
        [
            "-u", "munge", "--", "munged",
            $"--socket={Config.MungeSocket}", $"--key-file={key}",
            $"--pid-file={Path.Combine(runDir, "munged.pid")}",
            $"--log-file={Path.Combine(keyDir, "munged.log")}",
            $"--seed-file={Path.Combine(keyDir, "munged.seed")}",
        ])).EnsureSuccess();
    }

    private async Task WaitForIdleNodeAsync(TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        var state = "";
        while (DateTime.UtcNow < until)
        {
            var result = await Shell.RunAsync("sinfo", ["-h", "-N", "-o", "%T"], ClientEnvironment);
            state = result.Output.Trim();
            if (result.ExitCode == 0 && state == "idle")
                return;
            await Task.Delay(250);
        }

        throw new TimeoutException($"The node did not become idle within {deadline} (last state: '{state}').");
    }

    /// <summary>Sends SIGTERM to the process in <paramref name="pidFile"/>, then SIGKILL if it is still alive after 5 s.</summary>
    private static async Task StopAsync(string pidFile)
    {
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid))
            return;
        await TryAsync(() => Shell.RunAsync("kill", ["-TERM", pid.ToString()]));
        for (var i = 0; i < 50 && IsAlive(pid); i++)
            await Task.Delay(100);
        if (IsAlive(pid))
            await TryAsync(() => Shell.RunAsync("kill", ["-KILL", pid.ToString()]));
    }

    /// <summary>True while the process exists and is not a zombie (daemons are reparented and may stay unreaped).</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task TryAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or TimeoutException or UnauthorizedAccessException)
        {
            // Best effort: cleanup goes on with the next step.
        }
    }

    private static async Task<string> ShortHostNameAsync() =>
        (await Shell.RunAsync("hostname", ["-s"])).EnsureSuccess().Output.Trim();

}
