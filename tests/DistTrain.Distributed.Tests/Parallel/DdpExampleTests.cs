using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using DistTrain.Distributed.Tests.Harness;

namespace DistTrain.Distributed.Tests.Parallel;

/// <summary>The MNIST MLP example, started as real ranks through the harness (the ddp-program scenario), trains data-parallel.</summary>
public sealed partial class DdpExampleTests
{
    [Fact]
    public async Task Mnist_mlp_on_2_ranks_reaches_the_held_out_accuracy_of_single_process_training()
    {
        var program = ExampleDll("MnistMlp");
        var options = new WorkerGroupOptions { Arguments = ["400", program, "--epochs", "3"], Timeout = TimeSpan.FromSeconds(450) };

        var single = (await WorkerGroup.RunAsync("ddp-program", 1, options)).AssertAllPassed();
        var parallel = (await WorkerGroup.RunAsync("ddp-program", 2, options)).AssertAllPassed();

        var alone = HeldOutAccuracy(single.Ranks[0].Output);
        var ranks = parallel.Ranks.Select(r => HeldOutAccuracy(r.Output)).ToArray();
        Assert.Contains("(32 per rank × 2 ranks)", parallel.Ranks[0].Output);
        Assert.Equal(ranks[0], ranks[1]); // summed across ranks: every rank reports the same
        Assert.True(Math.Abs(ranks[0] - alone) <= 1.0, $"2 ranks: {ranks[0]} %, 1 process: {alone} %\n{parallel}\n{single}");
    }

    private static double HeldOutAccuracy(string output)
    {
        var match = AccuracyLine().Match(output);
        Assert.True(match.Success, $"no held-out accuracy line in:\n{output}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^held-out accuracy: ([0-9.]+)", RegexOptions.Multiline)]
    private static partial Regex AccuracyLine();

    // The example's dll in this build's configuration, built first when it is not there.
    private static string ExampleDll(string name)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "DistTrain.sln"))) root = root.Parent;
        Assert.NotNull(root);
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var project = Path.Combine(root.FullName, "examples", name);
        var dll = Path.Combine(project, "bin", configuration, "net10.0", name + ".dll");
        if (File.Exists(dll)) return dll;
        using var build = Process.Start(new ProcessStartInfo("dotnet", ["build", project, "-c", configuration, "-nologo", "-clp:ErrorsOnly"])
            { UseShellExecute = false }) ?? throw new InvalidOperationException("could not start dotnet build");
        if (!build.WaitForExit(TimeSpan.FromMinutes(10))) build.Kill(entireProcessTree: true);
        build.WaitForExit();
        Assert.True(build.ExitCode == 0 && File.Exists(dll), $"building {project} failed (exit {build.ExitCode})");
        return dll;
    }
}
