using System.Diagnostics;

namespace DistTrain.Torch.Tests.Serialization;

/// <summary>Runs Debian's /usr/bin/python3 (python3-numpy, python3-torch) for cross-language checks.</summary>
internal static class Python
{
    public static string Executable => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    /// <summary>Runs a script from the test output directory and returns its standard output; fails the test on a non-zero exit.</summary>
    public static string Run(string script, params string[] arguments) => Run(script, new Dictionary<string, string?>(), arguments);

    /// <summary>As <see cref="Run(string, string[])"/>, with these environment variables set (null: removed).</summary>
    public static string Run(string script, IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, script));
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{script} {string.Join(' ', arguments)} failed ({process.ExitCode}): {stderr}");
        return stdout.Result;
    }
}
