using System.Globalization;
using System.Reflection;

namespace DistTrain.Launcher.Tests.Support;

/// <summary>
/// The test worker's checkpoint-train scenario (DDP, Adam, the data plan, checkpoints through the coordinator) run
/// through real agents (`disttrain run --standalone --checkpoint-dir ...`) on the CPU.
/// </summary>
internal static class CheckpointTrainRuns
{
    /// <summary>How long one training run may take before a test fails.</summary>
    public static readonly TimeSpan Generous = TimeSpan.FromMinutes(6);

    /// <summary>The TorchSharp test worker's dll.</summary>
    public static string TestWorker => typeof(CheckpointTrainRuns).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "DistTrainTestWorkerPath").Value!;

    /// <summary>The arguments of `disttrain run` for checkpoint-train with <paramref name="nproc"/> ranks, writing its records to <paramref name="output"/>.</summary>
    public static string[] Arguments(string checkpoints, string output, int nproc, int maxRestarts, params string[] scenario) =>
        ["run", "--standalone", "--nproc-per-node", nproc.ToString(CultureInfo.InvariantCulture), "--max-restarts", maxRestarts.ToString(CultureInfo.InvariantCulture),
         "--grace-period", "5", "--checkpoint-dir", checkpoints, "--", TestWorker, "checkpoint-train", output, .. scenario];

    /// <summary>Runs checkpoint-train to its end (at most <see cref="Generous"/>).</summary>
    public static Task<LauncherProcess> TrainAsync(string checkpoints, string output, int nproc, int maxRestarts, params string[] scenario) =>
        LauncherProcess.RunAsync(Arguments(checkpoints, output, nproc, maxRestarts, scenario), Generous);

    /// <summary>100 steps on 2 ranks without interruption, saving every <paramref name="saveEvery"/> steps: the reference of the resumed runs (its ids and weights).</summary>
    public static async Task<TempDirectory> StraightRunAsync(string saveEvery)
    {
        var output = new TempDirectory();
        using var checkpoints = new TempDirectory();
        using var run = await TrainAsync(checkpoints.Path, output.Path, nproc: 2, maxRestarts: 0, "100", saveEvery);
        if (run.ExitCode != 0)
            output.Dispose();
        Assert.True(run.ExitCode == 0, run.Output);
        return output;
    }

    /// <summary>The final weights rank 0 wrote.</summary>
    public static byte[] Weights(string output) => File.ReadAllBytes(Path.Combine(output, "weights.bin"));
}
