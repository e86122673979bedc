using System.Text;

namespace DistTrain.Checkpointing.Tests.Support;

/// <summary>Writes small checkpoints for the tests: files of known content, committed through the real store.</summary>
internal static class Checkpoints
{
    public static CheckpointStore Store(string root, int keepLast = 3) => new(new CheckpointStoreOptions { Root = root, KeepLast = keepLast });

    /// <summary>The bytes of file <paramref name="name"/> at step <paramref name="step"/>: distinct per step and file.</summary>
    public static byte[] Content(long step, string name, int size = 4096)
    {
        var bytes = new byte[size];
        new Random((int)(step * 31 + name.Length * 7 + name[0])).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Commits step <paramref name="step"/> with the files <paramref name="names"/> (default: model and optimizer) of <paramref name="size"/> bytes each.</summary>
    public static VerifiedCheckpoint Commit(CheckpointStore store, long step, string[]? names = null, int size = 4096)
    {
        var staged = store.Begin(step);
        foreach (var name in names is null or [] ? ["model.safetensors", "optimizer.safetensors"] : names)
            staged.WriteFile(name, s => s.Write(Content(step, name, size)));
        return store.Commit(staged, new CheckpointManifest { Step = step, Epoch = step / 10, WorldSize = 2, Files = [] });
    }

    public static string Text(string path) => Encoding.UTF8.GetString(File.ReadAllBytes(path));
}
