using System.Diagnostics;

namespace DistTrain.Checkpointing.Tests.Support;

/// <summary>
/// This assembly's entry point. Run by the test host it does nothing; run as
/// <c>dotnet DistTrain.Checkpointing.Tests.dll write-forever ROOT</c> it commits checkpoints to ROOT one
/// after another (continuing after the newest that verifies) until it is killed: the process the crash
/// tests kill -9 at random moments.
/// </summary>
internal static class CrashWriter
{
    public static int Main(string[] args)
    {
        if (args is not ["write-forever", var root])
            return 0;
        var store = Checkpoints.Store(root, keepLast: 2);
        for (var step = (store.Recover().Checkpoint?.Step ?? 0) + 1; ; step++)
            Checkpoints.Commit(store, step, ["model.safetensors", "optimizer.safetensors", "extra.bin"], size: 256 << 10);
    }

    /// <summary>Starts the writer on <paramref name="root"/>.</summary>
    public static Process Start(string root)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(typeof(CrashWriter).Assembly.Location);
        start.ArgumentList.Add("write-forever");
        start.ArgumentList.Add(root);
        return Process.Start(start)!;
    }
}
