using DistTrain.Checkpointing.Tests.Support;

namespace DistTrain.Checkpointing.Tests;

/// <summary>A real process that commits checkpoints back to back, killed with SIGKILL at random moments of its writes.</summary>
public sealed class CrashTests : IDisposable
{
    private readonly TempRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Killing_the_writer_at_random_moments_leaves_latest_naming_a_checkpoint_that_verifies_and_nothing_half_written()
    {
        var random = new Random(2026);
        var store = Checkpoints.Store(_root.Path, keepLast: 2);
        long before = 0;
        var midWrite = 0;
        for (var kill = 0; kill < 8; kill++)
        {
            using (var writer = CrashWriter.Start(_root.Path))
            {
                try
                {
                    await WaitForCommitAfter(store, before, writer);
                    await Task.Delay(random.Next(0, 40));
                }
                finally
                {
                    writer.Kill(); // SIGKILL: no finally, no flush (and never left running when the test fails)
                    await writer.WaitForExitAsync();
                }
            }


            if (Directory.EnumerateFileSystemEntries(_root.Path).Any(e => CheckpointLayout.IsLeftover(Path.GetFileName(e))))
                midWrite++; // this kill landed inside a write (a staging directory or a temporary file is left)
            var latest = store.ReadLatest();
            Assert.NotNull(latest);
            var pointed = CheckpointVerifier.Verify(Path.Combine(_root.Path, latest)); // latest names a complete checkpoint
            var recovery = store.Recover(removeLeftovers: false);
            Assert.Empty(recovery.Rejected); // no step-* directory is ever half written
            Assert.True(recovery.Checkpoint!.Step >= pointed.Step);
            before = recovery.Checkpoint.Step;
        }

        Assert.True(midWrite > 0, "No kill landed inside a write.");
        store.Recover();
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(_root.Path), e => CheckpointLayout.IsLeftover(Path.GetFileName(e)));
    }

    // Polls until the writer committed a checkpoint newer than 'step' (so each kill lands in a later write).
    private static async Task WaitForCommitAfter(CheckpointStore store, long step, System.Diagnostics.Process writer)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(store.ReadLatest() is { } latest && CheckpointLayout.TryParseStep(latest, out var now) && now > step))
        {
            if (writer.HasExited)
                Assert.Fail($"The writer exited ({writer.ExitCode}): {await writer.StandardError.ReadToEndAsync()}");
            Assert.True(DateTime.UtcNow < deadline, "The writer committed nothing within 60 s.");
            await Task.Delay(5);
        }
    }
}
