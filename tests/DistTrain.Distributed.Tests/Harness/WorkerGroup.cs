using System.Diagnostics;
using System.Text;
using DistTrain.Protocol.Launch;

namespace DistTrain.Distributed.Tests.Harness;

/// <summary>
/// Starts N real worker processes (DistTrain.Distributed.TestWorker running one scenario) on loopback
/// with the variables the launcher writes (<see cref="LaunchIdentityWriter"/>, pointing at an in-process
/// coordinator), one intra-op thread each, collects each rank's exit code and output, and
/// kills them all if the group outlives its timeout. No process outlives the call.
/// </summary>
public static class WorkerGroup
{
    private const string WorkerAssembly = "DistTrain.Distributed.TestWorker.dll";

    /// <summary>Runs <paramref name="scenario"/> on <paramref name="worldSize"/> ranks and waits for all of them.</summary>
    public static async Task<GroupResult> RunAsync(string scenario, int worldSize, WorkerGroupOptions? options = null)
    {
        options ??= new WorkerGroupOptions();
        await using var coordinator = await TestCoordinator.StartAsync(worldSize);
        var shared = new Dictionary<string, string>
        {
            // One compute thread per worker: the test machine's few cores are shared with other work.
            [LaunchVariables.OmpNumThreads.Name] = "1",
            ["MKL_NUM_THREADS"] = "1",
            ["DOTNET_gcServer"] = "0",
            ["DOTNET_TieredPGO"] = "0",
        };
        foreach (var (key, value) in options.Environment) shared[key] = value; // "" unsets

        var clock = Stopwatch.StartNew();
        var workers = new List<RunningWorker>();
        try
        {
            for (var rank = 0; rank < worldSize; rank++)
            {
                var environment = new Dictionary<string, string>(LaunchIdentityWriter.Write(coordinator.Identity(rank)));
                foreach (var (key, value) in shared) environment[key] = value;
                foreach (var (key, value) in options.RankEnvironment.GetValueOrDefault(rank) ?? new Dictionary<string, string>()) environment[key] = value;
                workers.Add(RunningWorker.Start(scenario, rank, environment, options));
            }
            using var deadline = new CancellationTokenSource(options.Timeout);
            var results = new RankResult[worldSize];
            for (var rank = 0; rank < worldSize; rank++) results[rank] = await workers[rank].WaitAsync(deadline.Token);
            var result = new GroupResult(results, clock.Elapsed);
            KeepLog(scenario, worldSize, options, result);
            return result;
        }
        finally
        {
            foreach (var worker in workers) worker.Dispose();
        }
    }

    // DISTTRAIN_TEST_LOGS=<dir> keeps every group's output there, one file per run (for reading what the workers said).
    private static void KeepLog(string scenario, int worldSize, WorkerGroupOptions options, GroupResult result)
    {
        if (System.Environment.GetEnvironmentVariable("DISTTRAIN_TEST_LOGS") is not { Length: > 0 } directory) return;
        Directory.CreateDirectory(directory);
        var name = $"{DateTime.UtcNow:HHmmss.fff}-{scenario}-{worldSize}-{string.Join("_", options.Arguments)}.log";
        File.WriteAllText(Path.Combine(directory, string.Concat(name.Split(Path.GetInvalidFileNameChars()))),
            $"{scenario} {string.Join(" ", options.Arguments)} on {worldSize} ranks, {result.Elapsed.TotalSeconds:0.0} s\n{result}");
    }

    /// <summary>The test worker beside the tests.</summary>
    public static string WorkerPath()
    {
        var path = Path.Combine(AppContext.BaseDirectory, WorkerAssembly);
        return File.Exists(path) ? path : throw new FileNotFoundException($"The test worker is not built beside the tests: {path}");
    }

    private sealed class RunningWorker : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();
        private readonly StringBuilder _standardOutput = new();
        private readonly int _rank;

        private RunningWorker(Process process, int rank)
        {
            _process = process;
            _rank = rank;
        }

        public static RunningWorker Start(string scenario, int rank, IReadOnlyDictionary<string, string> environment, WorkerGroupOptions options)
        {
            string[] command = [.. options.CommandPrefix, "dotnet", WorkerPath(), scenario, .. options.Arguments];
            var info = new ProcessStartInfo(command[0])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = AppContext.BaseDirectory,
            };
            foreach (var a in command[1..]) info.ArgumentList.Add(a);
            foreach (var (key, value) in environment) info.Environment[key] = value;
            foreach (var (key, _) in environment.Where(p => p.Value.Length == 0)) info.Environment.Remove(key);

            var process = new Process { StartInfo = info };
            var worker = new RunningWorker(process, rank);
            process.OutputDataReceived += (_, e) => worker.Append(e.Data, fromStandardOutput: true);
            process.ErrorDataReceived += (_, e) => worker.Append(e.Data, fromStandardOutput: false);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return worker;
        }

        public async Task<RankResult> WaitAsync(CancellationToken deadline)
        {
            var killed = false;
            try
            {
                await _process.WaitForExitAsync(deadline);
            }
            catch (OperationCanceledException)
            {
                killed = true;
                Kill();
                await _process.WaitForExitAsync();
            }

            _process.WaitForExit(); // drains the output readers
            lock (_output) return new RankResult(_rank, killed ? -1 : _process.ExitCode, _output.ToString(), _standardOutput.ToString(), killed);
        }

        public void Dispose()
        {
            Kill();
            _process.Dispose();
        }

        private void Append(string? line, bool fromStandardOutput)
        {
            if (line is null) return;
            lock (_output)
            {
                _output.AppendLine(line);
                if (fromStandardOutput) _standardOutput.AppendLine(line);
            }
        }

        private void Kill()
        {
            try
            {
                if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // never started, or already gone
            }
        }
    }
}
