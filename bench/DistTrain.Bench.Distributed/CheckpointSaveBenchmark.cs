using System.Diagnostics;
using System.Globalization;
using DistTrain.Checkpoints;
using DistTrain.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace DistTrain.Bench.Distributed;

/// <summary>
/// One process, no coordinator: how fast <see cref="Checkpointer"/> writes and resumes a model's state in
/// DIR (bench/checkpoint/checkpoint_run.sh compares the write with dd to the same disk). Trains one step so
/// SGD's momentum exists, then saves --saves times synchronously (copy to host memory, safetensors, SHA-256,
/// fsync, rename, manifest, `latest`) and resumes once into a fresh model (find, verify every file's
/// SHA-256, load). Prints "bytes=… save_ms=… save_mb_per_s=… save_cpu_ms=… resume_ms=…" (save: the median wall time;
/// save_cpu_ms: the process's CPU time per save, on every thread, the part a save takes from training on a busy machine).
/// </summary>
public sealed class CheckpointSaveBenchmark : IBenchMode
{
    /// <inheritdoc />
    public string Name => "checkpoint-save";

    /// <summary>Runs; returns the exit code (2 for bad arguments).</summary>
    public int Run(string[] args)
    {
        string model = "wide";
        string? directory = null;
        int saves = 5, threads = 1;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--model": model = args[++i]; break;
                case "--dir": directory = args[++i]; break;
                case "--saves": saves = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--threads": threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default:
                    Console.Error.WriteLine($"unknown argument '{args[i]}'; use --dir DIR [--model {BenchModels.Names} --saves N --threads N]");
                    return 2;
            }
        }

        if (directory is null)
        {
            Console.Error.WriteLine("--dir DIR is needed: the directory to checkpoint into (it is created; use an empty one on the disk to measure)");
            return 2;
        }

        TorchSharpRuntime.EnsureLoaded();
        set_num_threads(threads);
        var options = new CheckpointOptions { Directory = directory, KeepLast = 2 };
        double[] saveMs;
        double saveCpuMs;
        long bytes;
        using (var trained = Trained(model))
        {
            if (trained.Net is null)
            {
                Console.Error.WriteLine($"--model must be {BenchModels.Names}, not '{model}'");
                return 2;
            }

            using var checkpointer = new Checkpointer(trained.Net, trained.Optimizer, options);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            saveMs = Enumerable.Range(1, saves).Select(step => Timed(() => checkpointer.Save(step))).ToArray();
            saveCpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / saves;
            var latest = File.ReadAllText(Path.Combine(directory, "latest")).Trim();
            bytes = new DirectoryInfo(Path.Combine(directory, latest)).EnumerateFiles().Sum(f => f.Length);
        }

        using var fresh = Trained(model);
        using var resumer = new Checkpointer(fresh.Net!, fresh.Optimizer, options);
        var resumeMs = Timed(() => _ = resumer.Resume() ?? throw new InvalidOperationException("no checkpoint to resume from"));
        var median = TimedBlocks.Median(saveMs);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bytes={bytes} save_ms={median:F1} save_mb_per_s={bytes / 1e6 / (median / 1000):F1} save_cpu_ms={saveCpuMs:F1} resume_ms={resumeMs:F1} saves_ms={string.Join('/', saveMs.Select(s => s.ToString("F0", CultureInfo.InvariantCulture)))}"));
        return 0;
    }

    private static double Timed(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalMilliseconds;
    }

    private static TrainedModel Trained(string model)
    {
        manual_seed(0);
        var net = BenchModels.Create(model);
        if (net is null)
            return new TrainedModel(null, null);
        var optimizer = optim.SGD(net.parameters(), 0.01, momentum: 0.9);
        using (NewDisposeScope())
        {
            nn.functional.cross_entropy(net.call(randn(8, 1, 28, 28)), randint(0, 10, [8])).backward();
            optimizer.step();
        }

        return new TrainedModel(net, optimizer);
    }

    private sealed record TrainedModel(nn.Module<Tensor, Tensor>? Net, TorchSharp.Modules.OptimizerHelper? Optimizer) : IDisposable
    {
        public void Dispose()
        {
            Optimizer?.Dispose();
            Net?.Dispose();
        }
    }
}
