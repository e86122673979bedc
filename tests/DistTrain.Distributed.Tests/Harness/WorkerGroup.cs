using System.Diagnostics;
using System.Text;

namespace DistTrain.Distributed.Tests.Harness;

/// <summary>
/// Starts N real worker processes (DistTrain.Distributed.TestWorker running one scenario) on loopback
/// with the environment the launcher gives (RANK, WORLD_SIZE, … and the coordinator's address or
/// MASTER_ADDR/MASTER_PORT), collects each rank's exit code and output, and kills them all if the
/// group outlives its timeout. No process outlives the call.
/// </summary>
public static class WorkerGroup
{
    private const string WorkerAssembly = "DistTrain.Distributed.TestWorker.dll";

    /// <summary>Runs <paramref name="scenario"/> on <paramref name="worldSize"/> ranks and waits for all of them.</summary>
    public static async Task<GroupResult> RunAsync(string scenario, int worldSize, WorkerGroupOptions? options = null)
    {
        options ??= new WorkerGroupOptions();
        await using var coordinator = options.Store == StoreKind.Coordinator ? await TestCoordinator.StartAsync(worldSize) : null;
        var shared = new Dictionary<string, string>
        {
            [EnvironmentVariables.WorldSize] = worldSize.ToString(),
            [EnvironmentVariables.LocalWorldSize] = worldSize.ToString(),
            [EnvironmentVariables.GroupRank] = "0",
            [EnvironmentVariables.MasterAddr] = "127.0.0.1",
            [EnvironmentVariables.MasterPort] = FreePort.Next().ToString(),
            [EnvironmentVariables.RestartCount] = "0",
            ["DOTNET_gcServer"] = "0",
        };
        foreach (var (key, value) in coordinator?.WorkerEnvironment() ?? []) shared[key] = value;
        foreach (var (key, value) in options.Environment) shared[key] = value; // "" unsets

        var clock = Stopwatch.StartNew();
        var workers = new List<RunningWorker>();
        try
        {
            for (var rank = 0; rank < worldSize; rank++) workers.Add(RunningWorker.Start(scenario, rank, shared, options));
            using var deadline = new CancellationTokenSource(options.Timeout);
            var results = new RankResult[worldSize];
            for (var rank = 0; rank < worldSize; rank++) results[rank] = await workers[rank].WaitAsync(deadline.Token);
            return new GroupResult(results, clock.Elapsed);
        }
        finally
        {
            foreach (var worker in workers) worker.Dispose();
        }
    }

    private static string WorkerPath()
    {
        var path = Path.Combine(AppContext.BaseDirectory, WorkerAssembly);
        return File.Exists(path) ? path : throw new FileNotFoundException($"The test worker is not built beside the tests: {path}");
    }

    private sealed class RunningWorker : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();
        private readonly int _rank;

        private RunningWorker(Process process, int rank)
        {
            _process = process;
            _rank = rank;
        }

        public static RunningWorker Start(string scenario, int rank, IReadOnlyDictionary<string, string> shared, WorkerGroupOptions options)
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
            foreach (var (key, value) in shared) info.Environment[key] = value;
            info.Environment[EnvironmentVariables.Rank] = rank.ToString();
            info.Environment[EnvironmentVariables.LocalRank] = rank.ToString();
            foreach (var (key, value) in shared.Where(p => p.Value.Length == 0)) info.Environment.Remove(key);

            var process = new Process { StartInfo = info };
            var worker = new RunningWorker(process, rank);
            process.OutputDataReceived += (_, e) => worker.Append(e.Data);
            process.ErrorDataReceived += (_, e) => worker.Append(e.Data);
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
            lock (_output) return new RankResult(_rank, killed ? -1 : _process.ExitCode, _output.ToString(), killed);
        }

        public void Dispose()
        {
            Kill();
            _process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is null) return;
            lock (_output) _output.AppendLine(line);
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
