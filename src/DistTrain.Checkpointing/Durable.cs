using System.Runtime.InteropServices;

namespace DistTrain.Checkpointing;

/// <summary>
/// fsync for files and directories, and rename-into-place. .NET flushes a file it writes
/// (<see cref="FileStream.Flush(bool)"/>) but cannot open a directory, so directories go through
/// libc's open/fsync/close; nothing else here calls native code.
/// </summary>
internal static partial class Durable
{
    private const int O_RDONLY = 0;
    private const int O_DIRECTORY = 0x10000;
    private const int O_CLOEXEC = 0x80000;
    private const int EINVAL = 22;

    /// <summary>Flushes <paramref name="path"/> (a file) to the disk.</summary>
    /// <exception cref="IOException">The file cannot be opened or flushed.</exception>
    public static void SyncFile(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        if (fsync(handle.DangerousGetHandle().ToInt32()) != 0)
            throw Error("fsync", path);
    }

    /// <summary>
    /// Flushes the directory <paramref name="path"/> itself (its entries: creations, renames, deletions)
    /// to the disk. Filesystems that cannot sync a directory (EINVAL) are accepted as they are.
    /// </summary>
    /// <exception cref="IOException">The directory cannot be opened or flushed.</exception>
    public static void SyncDirectory(string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            return; // Windows has no directory fsync; NTFS journals renames.
        var fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
            throw Error("open", path);
        try
        {
            if (fsync(fd) != 0 && Marshal.GetLastPInvokeError() != EINVAL)
                throw Error("fsync", path);
        }
        finally
        {
            close(fd);
        }
    }

    /// <summary>
    /// Writes a file atomically: <paramref name="write"/> fills a temporary file beside
    /// <paramref name="path"/>, which is flushed to the disk and renamed over <paramref name="path"/>;
    /// then the directory is flushed. A crash leaves the old file or the new one, never a part; the
    /// temporary file is deleted when anything fails. Returns what was written (size, SHA-256).
    /// </summary>
    public static CheckpointFile WriteAtomically(string path, Action<Stream> write)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        var temp = System.IO.Path.Combine(directory, CheckpointLayout.TempFileName(System.IO.Path.GetFileName(path)));
        try
        {
            CheckpointFile written;
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                using var hashing = new HashingStream(file);
                write(hashing);
                hashing.Flush();
                file.Flush(flushToDisk: true);
                written = hashing.Result(System.IO.Path.GetFileName(path));
            }

            File.Move(temp, path, overwrite: true);
            SyncDirectory(directory);
            return written;
        }
        catch
        {
            TryDeleteFile(temp);
            throw;
        }
    }

    /// <summary>Deletes a file, ignoring any failure (cleanup on an error path).</summary>
    public static void TryDeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (IoErrors.IsIo(e))
        {
        }
    }

    private static IOException Error(string call, string path)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call} failed on '{path}': {Marshal.GetPInvokeErrorMessage(errno)}", errno);
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int close(int fd);
}
