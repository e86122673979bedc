using System.Diagnostics;
using System.Globalization;

namespace DistTrain.Distributed.TestWorker.Ddp;

/// <summary>
/// <c>ddp-program &lt;seconds&gt; &lt;program.dll&gt; [args…]</c>: runs a training program (an example) as this rank,
/// with this worker's launcher environment, relaying its output and exit code. This lets the multi-process
/// harness start N ranks of any program. The program is killed (with its children) after the given seconds.
/// </summary>
public sealed class DdpProgramScenario : IScenario
{
    public string Name => "ddp-program";

    public int Run(string[] args)
    {
        Check.That(args.Length >= 2, "usage: ddp-program <seconds> <program.dll> [args…]");
        var limit = TimeSpan.FromSeconds(double.Parse(args[0], CultureInfo.InvariantCulture));
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(args[1]);
        foreach (var a in args[2..]) start.ArgumentList.Add(a);
        using var program = Process.Start(start) ?? throw new InvalidOperationException($"could not start {args[1]}");
        program.OutputDataReceived += (_, e) => { if (e.Data is not null) Console.WriteLine(e.Data); };
        program.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine(e.Data); };
        program.BeginOutputReadLine();
        program.BeginErrorReadLine();
        if (!program.WaitForExit(limit))
        {
            program.Kill(entireProcessTree: true);
            program.WaitForExit();
            Console.WriteLine($"the program outlived {limit.TotalSeconds:0} s and was killed");
            return 124;
        }
        program.WaitForExit(); // drains the relayed output
        return program.ExitCode;
    }
}
