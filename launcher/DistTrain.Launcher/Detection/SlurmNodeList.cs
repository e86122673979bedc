using System.Diagnostics;

namespace DistTrain.Launcher.Detection;

/// <summary>Expands <c>SLURM_JOB_NODELIST</c> (<c>n[1-3,7]</c>) into host names with <c>scontrol show hostnames</c>.</summary>
public static class SlurmNodeList
{
    /// <summary>How long <c>scontrol</c> may take.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Returns the host names of <paramref name="nodeList"/>, in SLURM's order. A list without brackets
    /// or commas is one host and needs no <c>scontrol</c>. Waits for <c>scontrol</c> at most 30 s.
    /// </summary>
    /// <param name="nodeList">The compact list, for example <c>gpu[01-04]</c>.</param>
    /// <param name="environment">The environment whose <c>PATH</c> locates <c>scontrol</c>.</param>
    /// <param name="cancellationToken">Cancels the wait (the process is killed).</param>
    /// <exception cref="PreflightException"><c>scontrol</c> is missing, fails, or prints nothing.</exception>
    public static async Task<IReadOnlyList<string>> ExpandAsync(string nodeList, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nodeList);
        if (nodeList.IndexOfAny(['[', ',']) < 0)
        {
            return [nodeList.Trim()];
        }

        var scontrol = ExecutableSearch.Find("scontrol", environment)
            ?? throw new PreflightException(
                $"SLURM_JOB_NODELIST ('{nodeList}') needs 'scontrol show hostnames' to be expanded, but scontrol is not on PATH. " +
                "Put SLURM's client tools on PATH, or give the coordinator's host with --rdzv-endpoint HOST:PORT.");
        var start = new ProcessStartInfo(scontrol) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("show");
        start.ArgumentList.Add("hostnames");
        start.ArgumentList.Add(nodeList);
        using var process = Process.Start(start) ?? throw new PreflightException($"Could not start {scontrol}.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new PreflightException($"'scontrol show hostnames {nodeList}' did not answer within {Timeout.TotalSeconds:0} s.");
        }

        var hosts = (await output.ConfigureAwait(false)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (process.ExitCode != 0 || hosts.Length == 0)
        {
            throw new PreflightException(
                $"'scontrol show hostnames {nodeList}' failed (exit code {process.ExitCode}): {(await error.ConfigureAwait(false)).Trim()}. " +
                "Give the coordinator's host with --rdzv-endpoint HOST:PORT.");
        }

        return hosts;
    }
}
