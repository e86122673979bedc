using System.Runtime.InteropServices;
using DistTrain.Build;

namespace DistTrain.Build.Tests;

/// <summary>
/// build/TorchSharpLoading prepares TorchSharp's native library for an older libstdc++: it relaxes
/// exactly the one version requirement that covers an unused anchor symbol, only when the system lacks
/// it, never touches the file a hard link shares, and refuses anything else with the list of what is missing.
/// </summary>
public sealed class LibstdcxxVersionCheckTests : IDisposable
{
    private readonly string dir = ElfFixtures.TemporaryDirectory();

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void On_this_systems_libstdcxx_only_GLIBCXX_3_4_32_is_missing_and_it_is_marked_weak()
    {
        var library = ElfFixtures.CopyOfTorchSharpLibrary(dir);
        var before = File.ReadAllBytes(library);

        var outcome = LibstdcxxVersionCheck.Prepare(library, ElfFixtures.SystemLibstdcxx);

        Assert.Null(outcome.Error);
        Assert.True(outcome.Patched, outcome.Message);
        Assert.Contains("GLIBCXX_3.4.32", outcome.Message);
        var after = File.ReadAllBytes(library);
        Assert.Equal(before.Length, after.Length);
        var changed = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToArray();
        Assert.Single(changed); // one flags byte of one Vernaux entry
        Assert.Equal(before[changed[0]] | 0x2, after[changed[0]]);
        Assert.Matches(@"Name: GLIBCXX_3\.4\.32\s+Flags: WEAK", ElfFixtures.ReadElf("-V", library));
    }

    [Fact]
    public void Preparing_twice_changes_nothing_the_second_time()
    {
        var library = ElfFixtures.CopyOfTorchSharpLibrary(dir);
        Assert.True(LibstdcxxVersionCheck.Prepare(library, ElfFixtures.SystemLibstdcxx).Patched);
        var once = File.ReadAllBytes(library);

        var again = LibstdcxxVersionCheck.Prepare(library, ElfFixtures.SystemLibstdcxx);

        Assert.False(again.Patched);
        Assert.Null(again.Error);
        Assert.Contains("already prepared", again.Message);
        Assert.Equal(once, File.ReadAllBytes(library));
    }

    [Fact]
    public void A_libstdcxx_that_has_every_needed_version_leaves_the_library_untouched()
    {
        var library = ElfFixtures.CopyOfTorchSharpLibrary(dir);
        var complete = ElfFixtures.LibstdcxxDefining(dir, ElfFixtures.LibstdcxxNeeds(library));
        var before = File.ReadAllBytes(library);

        var outcome = LibstdcxxVersionCheck.Prepare(library, complete);

        Assert.False(outcome.Patched);
        Assert.Null(outcome.Error);
        Assert.Contains("needs nothing", outcome.Message);
        Assert.Equal(before, File.ReadAllBytes(library));
    }

    [Fact]
    public void Another_missing_version_is_refused_naming_every_missing_one_and_the_file_is_kept()
    {
        var library = ElfFixtures.CopyOfTorchSharpLibrary(dir);
        var needs = ElfFixtures.LibstdcxxNeeds(library);
        Assert.Contains("GLIBCXX_3.4.29", needs);
        var older = ElfFixtures.LibstdcxxDefining(dir, needs.Where(v => v is not "GLIBCXX_3.4.29" and not "GLIBCXX_3.4.32"));
        var before = File.ReadAllBytes(library);

        var outcome = LibstdcxxVersionCheck.Prepare(library, older);

        Assert.False(outcome.Patched);
        Assert.NotNull(outcome.Error);
        Assert.Contains("GLIBCXX_3.4.29", outcome.Error);
        Assert.Contains("GLIBCXX_3.4.32", outcome.Error);
        Assert.Contains("GCC 13", outcome.Error);
        Assert.Equal(before, File.ReadAllBytes(library));
    }

    [Fact]
    public void A_hard_linked_output_file_is_replaced_by_a_private_copy_and_its_twin_keeps_the_original()
    {
        var original = ElfFixtures.CopyOfTorchSharpLibrary(dir, "cache-copy.so");
        var output = Path.Combine(dir, "libLibTorchSharp.so");
        Assert.Equal(0, link(original, output));
        var before = File.ReadAllBytes(original);
        var stamp = File.GetLastWriteTimeUtc(original);

        Assert.True(LibstdcxxVersionCheck.Prepare(output, ElfFixtures.SystemLibstdcxx).Patched);

        Assert.Equal(before, File.ReadAllBytes(original));
        Assert.NotEqual(before, File.ReadAllBytes(output));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(output)); // incremental builds see it as up to date
    }

    [Fact]
    public void The_build_output_of_this_project_was_prepared_and_loads_where_the_untouched_library_does_not()
    {
        var native = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");
        var prepared = Path.Combine(native, "libLibTorchSharp.so");
        Assert.Matches(@"Name: GLIBCXX_3\.4\.32\s+Flags: WEAK", ElfFixtures.ReadElf("-V", prepared));

        // Beside LibTorch (found through $ORIGIN), an untouched copy fails on exactly that version, a prepared one loads.
        var untouched = ElfFixtures.CopyOfTorchSharpLibrary(native, $"untouched-{Guid.NewGuid():N}.so");
        try
        {
            var e = Assert.Throws<DllNotFoundException>(() => NativeLibrary.Load(untouched));
            Assert.Contains("GLIBCXX_3.4.32", e.Message);
            Assert.True(LibstdcxxVersionCheck.Prepare(untouched, ElfFixtures.SystemLibstdcxx).Patched);
            Assert.True(NativeLibrary.TryLoad(untouched, out var handle));
            NativeLibrary.Free(handle);
        }
        finally
        {
            File.Delete(untouched);
        }
    }

    [DllImport("libc.so.6", SetLastError = true)]
    private static extern int link(string existing, string created);
}
