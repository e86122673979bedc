using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using DistTrain.Examples.Tests.Support;
using DistTrain.Tests.Shared;

namespace DistTrain.Examples.Tests;

/// <summary>
/// The README's kill and resume, for real: the MNIST MLP example on 2 ranks under `disttrain run --checkpoint-dir`,
/// SIGTERM of the launcher once a checkpoint is committed (the workers save the step they are at and stop), then
/// the same command again, which resumes from that checkpoint and finishes the epoch.
/// </summary>
public sealed partial class CheckpointResumeTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Sigterm_after_a_checkpoint_then_the_same_command_resumes_from_it_and_finishes()
    {
        var checkpoints = Directory.CreateTempSubdirectory("disttrain-example-ckpt-").FullName;
        try
        {
            var latest = Path.Combine(checkpoints, "latest");
            var (first, firstOut) = Start(checkpoints);
            using var firstProcess = first;
            var deadline = DateTime.UtcNow + Generous;
            while (!(File.Exists(latest) && string.CompareOrdinal(File.ReadAllText(latest).Trim(), "step-000000020") >= 0))
            {
                Assert.True(DateTime.UtcNow < deadline && !first.HasExited, $"no checkpoint of step 20:\n{firstOut}");
                await Task.Delay(50);
            }

            using (Process.Start("kill", ["-TERM", first.Id.ToString()])) { }
            await first.WaitForExitAsync();
            var saved = long.Parse(File.ReadAllText(latest).Trim()["step-".Length..]);
            Assert.True(firstOut.ToString().Contains("stopped before the end: run the same command again to resume"), firstOut.ToString());
            Assert.True(saved is >= 20 and < 125, $"latest is step {saved}");

            var (second, secondOut) = Start(checkpoints);
            using var secondProcess = second;
            await second.WaitForExitAsync().WaitAsync(Generous);
            var output = secondOut.ToString();
            Assert.True(second.ExitCode == 0, output);
            Assert.Matches($"resuming from the checkpoint of step {saved}: epoch 1, {saved * 64} of its 8000 samples done", output);
            Assert.Matches(AccuracyLine(), output);
            Assert.Equal("step-000000125", File.ReadAllText(latest).Trim()); // 8,000 samples / 64 a step: the epoch's 125 steps, no more
        }
        finally
        {
            Directory.Delete(checkpoints, recursive: true);
        }
    }

    // `disttrain run --standalone --nproc-per-node 2 --checkpoint-dir DIR -- MnistMlp.dll --epochs 1 --checkpoint-every 20`, its output collected.
    private static (Process Process, StringBuilder Output) Start(string checkpoints) =>
        DisttrainRun.Start("--standalone", "--nproc-per-node", "2", "--checkpoint-dir", checkpoints, "--",
            RepoPaths.Of("examples/MnistMlp/bin/Release/net10.0/MnistMlp.dll"), "--epochs", "1", "--checkpoint-every", "20");

    [GeneratedRegex(@"\[rank0\]: held-out accuracy: \d")]
    private static partial Regex AccuracyLine();
}
