using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DistTrain.Examples.Tests.Support;

namespace DistTrain.Examples.Tests;

/// <summary>
/// The README's kill and resume, for real: the MNIST MLP example on 2 ranks under `disttrain run --checkpoint-dir`,
/// SIGTERM of the launcher once a checkpoint of the second epoch is committed (the workers save the step they are at
/// and stop), then the same command again, which resumes from that checkpoint (its learning-rate scheduler too) and
/// finishes the epoch.
/// </summary>
public sealed partial class CheckpointResumeTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Sigterm_after_a_checkpoint_then_the_same_command_resumes_from_it_at_its_learning_rate_and_finishes()
    {
        var checkpoints = Directory.CreateTempSubdirectory("disttrain-example-ckpt-").FullName;
        try
        {
            var latest = Path.Combine(checkpoints, "latest");
            using var firstRun = Start(checkpoints);
            var first = firstRun.Process;
            var deadline = DateTime.UtcNow + Generous;
            while (!(File.Exists(latest) && string.CompareOrdinal(File.ReadAllText(latest).Trim(), "step-000000140") >= 0))
            {
                Assert.True(DateTime.UtcNow < deadline && !first.HasExited, $"no checkpoint of step 140:\n{firstRun.Output}");
                await Task.Delay(50);
            }

            using (Process.Start("kill", ["-TERM", first.Id.ToString()])) { }
            await first.WaitForExitAsync();
            var saved = long.Parse(File.ReadAllText(latest).Trim()["step-".Length..]);
            first.WaitForExit(); // drains the redirected streams
            Assert.True(firstRun.Output.Contains("stopped before the end: run the same command again to resume"), firstRun.Output);
            Assert.True(saved is >= 140 and < 250, $"latest is step {saved}");
            Assert.Equal(1, SchedulerLastEpoch(checkpoints, saved)); // the cosine LambdaLR, stepped after epoch 1
            Assert.Matches(EpochLine(1, "0.05"), firstRun.Output);

            using var secondRun = Start(checkpoints);
            var output = await SucceedsAsync(secondRun);
            Assert.Matches($"resuming from the checkpoint of step {saved}: epoch 2, {(saved - 125) * 64} of its 8000 samples done", output);
            // The cosine schedule's rate for epoch 2 of 2 (0.05 · (1 + cos(π/2)) / 2), as an uninterrupted run trains it.
            Assert.Matches(EpochLine(2, "0.025"), output);
            Assert.Matches(AccuracyLine(), output);
            Assert.Equal("step-000000250", File.ReadAllText(latest).Trim()); // 8,000 samples / 64 a step: each epoch's 125 steps, no more
        }
        finally
        {
            Directory.Delete(checkpoints, recursive: true);
        }
    }

    [Fact]
    public async Task A_run_resumed_from_an_epochs_last_step_takes_that_epochs_scheduler_step()
    {
        var checkpoints = Directory.CreateTempSubdirectory("disttrain-example-ckpt-").FullName;
        try
        {
            // One epoch, saved at its last step (step 125) before the epoch's scheduler step...
            using (var firstRun = Start(checkpoints, epochs: 1))
                await SucceedsAsync(firstRun);
            Assert.Equal("step-000000125", File.ReadAllText(Path.Combine(checkpoints, "latest")).Trim());
            Assert.Equal(0, SchedulerLastEpoch(checkpoints, 125));

            // ...then two: epoch 2 trains at the rate a straight 2-epoch run gives it, 0.05 · (1 + cos(π/2)) / 2.
            using var secondRun = Start(checkpoints, epochs: 2);
            var output = await SucceedsAsync(secondRun);
            Assert.Matches("resuming from the checkpoint of step 125: epoch 2, 0 of its 8000 samples done", output);
            Assert.Matches(EpochLine(2, "0.025"), output);
            Assert.DoesNotMatch(@"\[rank0\]: epoch 1 ", output);
        }
        finally
        {
            Directory.Delete(checkpoints, recursive: true);
        }
    }

    [Fact]
    public async Task Xor_checkpointed_for_300_epochs_then_run_to_600_resumes_at_301_and_ends_as_a_straight_600_epoch_run()
    {
        var straight = Directory.CreateTempSubdirectory("disttrain-example-ckpt-").FullName;
        var resumed = Directory.CreateTempSubdirectory("disttrain-example-ckpt-").FullName;
        try
        {
            var straightRun = await XorAsync(straight, 600);
            var firstRun = await XorAsync(resumed, 300);
            Assert.Equal("step-000000300", File.ReadAllText(Path.Combine(resumed, "latest")).Trim());
            var secondRun = await XorAsync(resumed, 600);

            Assert.Contains("[rank0]: resuming from the checkpoint of step 300: epoch 301, 0 of its 4 samples done", secondRun);
            Assert.Contains("[rank0]: epoch   300 ", firstRun);
            Assert.DoesNotContain("[rank0]: epoch   300 ", secondRun);
            // Losses from epoch 400 on and the final outputs, as printed, are those of the uninterrupted run.
            Assert.Contains("[rank0]: epoch   600  loss ", secondRun);
            Assert.Equal(XorTail(straightRun), XorTail(secondRun));
            Assert.Equal("step-000000600", File.ReadAllText(Path.Combine(resumed, "latest")).Trim());
            // The weights of step 600, bitwise (the momentum buffers resumed with them).
            Assert.Equal(File.ReadAllBytes(Path.Combine(straight, "step-000000600", "model.safetensors")),
                File.ReadAllBytes(Path.Combine(resumed, "step-000000600", "model.safetensors")));

            var again = await XorAsync(resumed, 600);
            Assert.Contains("[rank0]: nothing left to train: the latest checkpoint is the end", again);
        }
        finally
        {
            Directory.Delete(straight, recursive: true);
            Directory.Delete(resumed, recursive: true);
        }
    }

    [Fact]
    public async Task MnistEarlyStopping_resumed_from_an_epochs_last_step_or_from_mid_epoch_goes_on_as_the_straight_run()
    {
        var straight = Directory.CreateTempSubdirectory("disttrain-example-ckpt-").FullName;
        var copies = new List<string>();
        try
        {
            var straightRun = await EarlyStoppingAsync(straight);
            var straightEpochs = EarlyStoppingEpochs(straightRun);
            Assert.True(straightEpochs.Count >= 2, straightRun);
            // 1,024 samples at 64 a step: 16 steps an epoch, a checkpoint every 8. Step 16 ends epoch 1, before its
            // validation; step 24 is in the middle of epoch 2.
            foreach (var (step, sameFrom) in new[] { (16, 2), (24, 3) })
            {
                var copy = Directory.CreateTempSubdirectory("disttrain-example-ckpt-").FullName;
                copies.Add(copy);
                var name = $"step-{step:D9}";
                CopyDirectory(Path.Combine(straight, name), Path.Combine(copy, name));
                File.WriteAllText(Path.Combine(copy, "latest"), name + "\n");

                var resumed = await EarlyStoppingAsync(copy);

                Assert.Contains($"[rank0]: resuming from the checkpoint of step {step}: epoch 2, {(step - 16) * 64} of its 1024 samples done", resumed);
                var epochs = EarlyStoppingEpochs(resumed);
                Assert.Equal(straightEpochs.Where(e => e.Key >= sameFrom), epochs.Where(e => e.Key >= sameFrom));
                Assert.Equal(Summary(straightRun), Summary(resumed)); // early stopping's verdict and best epoch
            }
        }
        finally
        {
            foreach (var directory in copies.Append(straight)) Directory.Delete(directory, recursive: true);
        }
    }

    // `disttrain run … --checkpoint-dir DIR --keep-checkpoints 10 -- MnistEarlyStopping.dll` for 3 epochs of 1,024 samples with patience 1.
    private static async Task<string> EarlyStoppingAsync(string checkpoints)
    {
        var (exit, output) = await ExampleRun.RunAsync("MnistEarlyStopping",
            ["--epochs", "3", "--patience", "1", "--train-count", "1024", "--held-out", "512", "--checkpoint-every", "8"], Generous,
            ["--checkpoint-dir", checkpoints, "--keep-checkpoints", "10"]);
        Assert.True(exit == 0, output);
        return output;
    }

    // Rank 0's epoch lines by epoch, without the data wait (a time).
    private static SortedDictionary<int, string> EarlyStoppingEpochs(string output) =>
        new(output.Split('\n').Select(l => EarlyStoppingEpochLine().Match(l)).Where(m => m.Success)
            .ToDictionary(m => int.Parse(m.Groups["epoch"].Value), m => m.Groups["line"].Value));

    private static string Summary(string output) =>
        output.Split('\n').Select(l => l.TrimEnd()).Last(l => l.Contains("best held-out accuracy at epoch", StringComparison.Ordinal));

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }

    [GeneratedRegex(@"^\[rank0\]: (?<line>epoch +(?<epoch>\d+) .*?)  data wait")]
    private static partial Regex EarlyStoppingEpochLine();

    // `disttrain run … --checkpoint-dir DIR -- Xor.dll --epochs N --checkpoint-every 100`; asserts it succeeded and returns its output.
    private static async Task<string> XorAsync(string checkpoints, int epochs)
    {
        var (exit, output) = await ExampleRun.RunAsync("Xor", ["--epochs", epochs.ToString(), "--checkpoint-every", "100"], Generous, ["--checkpoint-dir", checkpoints]);
        Assert.True(exit == 0, output);
        return output;
    }

    // Rank 0's lines from the loss of epoch 400 on: the losses, the outputs and the verdict.
    private static List<string> XorTail(string output) =>
        [.. output.Split('\n').Select(l => l.TrimEnd()).Where(l => l.StartsWith("[rank0]: ", StringComparison.Ordinal))
            .SkipWhile(l => !l.StartsWith("[rank0]: epoch   400 ", StringComparison.Ordinal))];

    // `disttrain run --standalone --nproc-per-node 2 --checkpoint-dir DIR -- MnistMlp.dll --epochs 2 --checkpoint-every 20`.
    private static ExampleRun Start(string checkpoints, int epochs = 2) =>
        ExampleRun.Start("MnistMlp", ["--epochs", epochs.ToString(), "--checkpoint-every", "20"], ["--checkpoint-dir", checkpoints]);

    // Waits for the run to end, asserts it succeeded, and returns its output.
    private static async Task<string> SucceedsAsync(ExampleRun run)
    {
        await run.Process.WaitForExitAsync().WaitAsync(Generous);
        run.Process.WaitForExit(); // drains the redirected streams
        Assert.True(run.Process.ExitCode == 0, run.Output);
        return run.Output;
    }

    // The last epoch of the scheduler state in the manifest of the checkpoint of `step`.
    private static int SchedulerLastEpoch(string checkpoints, long step)
    {
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(checkpoints, $"step-{step:D9}", "manifest.json")))!;
        Assert.EndsWith("LambdaLR", manifest["scheduler"]!["type"]!.GetValue<string>());
        return manifest["scheduler"]!["fields"]!["_last_epoch"]!.GetValue<int>();
    }

    private static string EpochLine(int epoch, string learningRate) => $@"\[rank0\]: epoch {epoch}  loss [\d.]+  lr {Regex.Escape(learningRate)}  ";

    [GeneratedRegex(@"\[rank0\]: held-out accuracy: \d")]
    private static partial Regex AccuracyLine();
}
