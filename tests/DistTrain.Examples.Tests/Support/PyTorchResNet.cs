using System.Diagnostics;
using DistTrain.Tests.Shared;

namespace DistTrain.Examples.Tests.Support;

/// <summary>Runs examples/pytorch/export_resnet18.py with Debian's PyTorch (python3-torchvision): torchvision's resnet18 written as safetensors.</summary>
internal static class PyTorchResNet
{
    /// <summary>Writes the state_dict of a resnet18 of <paramref name="classes"/> outputs to <paramref name="weights"/>, and the fixed input and its eval-mode logits to <paramref name="check"/> when given.</summary>
    public static void Export(string weights, int classes, int seed, string? check = null)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])[RepoPaths.Of("examples/pytorch/export_resnet18.py"), "--out", weights, "--classes", classes.ToString(), "--seed", seed.ToString(),
                     .. check is null ? Array.Empty<string>() : ["--check", check]])
            start.ArgumentList.Add(arg);
        start.Environment["OMP_NUM_THREADS"] = "1";
        using var python = Process.Start(start)!;
        var stdout = python.StandardOutput.ReadToEndAsync();
        var stderr = python.StandardError.ReadToEnd();
        python.WaitForExit();
        Assert.True(python.ExitCode == 0, $"export_resnet18.py failed (exit {python.ExitCode}; scripts/setup.sh installs python3-torchvision):\n{stdout.Result}\n{stderr}");
    }
}
