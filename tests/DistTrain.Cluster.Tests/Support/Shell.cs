using System.Diagnostics;

namespace DistTrain.Cluster.Tests.Support;

/// <summary>What a finished command printed and returned.</summary>
internal sealed record CommandResult(string Command, int ExitCode, string Output, string Error)
{
    /// <summary>Throws, showing the command and everything it printed, unless it exited with 0.</summary>
    public CommandResult EnsureSuccess() => ExitCode == 0
        ? this
        : throw new InvalidOperationException($"`{Command}` exited with {ExitCode}.\nstdout:\n{Output}\nstderr:\n{Error}");
}

/// <summary>Runs a program to its end, bounded by a timeout, with extra environment variables.</summary>
internal static class Shell
{
    /// <summary>
    /// Runs <paramref name="program"/> with <paramref name="arguments"/> and waits for it to exit
    /// (at most <paramref name="timeout"/>, default 30 s; then it is killed and this throws <see cref="TimeoutException"/>).
    /// </summary>
    public static async Task<CommandResult> RunAsync(
        string program,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null,
        string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            info.Environment[name] = value;

        var display = string.Join(' ', [program, .. info.ArgumentList]);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start `{display}`.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{display}` did not finish within {timeout ?? TimeSpan.FromSeconds(30)}.");
        }

        return new CommandResult(display, process.ExitCode, await output, await error);
    }

    /// <summary>True when <paramref name="program"/> is an executable file on PATH (or an existing path).</summary>
    public static bool IsOnPath(string program)
    {
        if (program.Contains('/'))
            return File.Exists(program);
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, program)));
    }
}
