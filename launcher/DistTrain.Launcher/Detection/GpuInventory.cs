using System.Diagnostics;
using DistTrain.Protocol.Launch;

namespace DistTrain.Launcher.Detection;

/// <summary>
/// The GPUs a node's workers may use: the entries of <c>CUDA_VISIBLE_DEVICES</c> when it is set (SLURM
/// and Kubernetes' device plugin set it), otherwise every GPU the NVIDIA driver lists
/// (<c>/proc/driver/nvidia/gpus</c>, else <c>nvidia-smi -L</c>).
/// </summary>
/// <param name="Devices">The device ids to give workers, one each, in local-rank order.</param>
/// <param name="Source">Where they were found, for messages.</param>
public sealed record GpuInventory(IReadOnlyList<string> Devices, string Source)
{
    /// <summary>The GPU count.</summary>
    public int Count => Devices.Count;

    /// <summary>Finds the GPUs; never throws (no driver means no GPU).</summary>
    public static GpuInventory Probe(IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment.TryGetValue(LaunchVariables.CudaVisibleDevices.Name, out var visible))
        {
            var devices = visible.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .TakeWhile(d => d != "-1" && !d.Equals("NoDevFiles", StringComparison.OrdinalIgnoreCase))
                .ToArray();
            return new GpuInventory(devices, $"CUDA_VISIBLE_DEVICES='{visible}'");
        }

        const string driverDirectory = "/proc/driver/nvidia/gpus";
        if (Directory.Exists(driverDirectory))
        {
            var count = Directory.GetDirectories(driverDirectory).Length;
            return new GpuInventory(Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(), driverDirectory);
        }

        var smi = ExecutableSearch.Find("nvidia-smi", environment);
        if (smi is not null)
        {
            var lines = RunNvidiaSmi(smi);
            return new GpuInventory(Enumerable.Range(0, lines).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(), "nvidia-smi -L");
        }

        return new GpuInventory([], "no NVIDIA driver");
    }

    private static int RunNvidiaSmi(string smi)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(smi, "-L") { RedirectStandardOutput = true, RedirectStandardError = true });
            if (process is null)
            {
                return 0;
            }

            var output = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(10_000))
            {
                process.Kill();
                return 0;
            }

            return process.ExitCode == 0
                ? output.Result.Split('\n').Count(l => l.StartsWith("GPU ", StringComparison.Ordinal))
                : 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return 0;
        }
    }
}
