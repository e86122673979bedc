using DistTrain.Torch.Tests.Serialization;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Tests.Native;

/// <summary>
/// The native library tunes glibc malloc when it loads (runtime_malloc.cpp) so that training steps reuse
/// freed memory. Each case loads the library into a fresh Python process and asks glibc where a 20 MiB
/// block came from: untuned glibc maps blocks over 128 KiB with mmap, tuned it serves them from the heap.
/// </summary>
public class MallocTuningTests
{
    private static readonly string Library = Path.Combine(AppContext.BaseDirectory, "libdisttrain_native.so");

    private static string Probe(Dictionary<string, string?> environment)
    {
        foreach (var name in new[] { "DISTTRAIN_MALLOC_TUNING", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES" })
            environment.TryAdd(name, null);
        return Python.Run("Native/malloc_probe.py", environment, Library).Trim();
    }

    [Fact]
    public void Loading_the_library_serves_large_blocks_from_the_heap()
    {
        Assert.Equal("tuning=3 block=heap", Probe([]));
    }

    [Fact]
    public void DISTTRAIN_MALLOC_TUNING_0_leaves_malloc_alone()
    {
        Assert.Equal("tuning=0 block=mmapped", Probe(new() { ["DISTTRAIN_MALLOC_TUNING"] = "0" }));
    }

    [Fact]
    public void A_threshold_the_user_set_wins_over_the_library()
    {
        // 1 MiB set by the user: the 20 MiB block is mapped, and only the trim threshold is the library's.
        Assert.Equal("tuning=2 block=mmapped", Probe(new() { ["MALLOC_MMAP_THRESHOLD_"] = "1048576" }));
    }

    [Fact]
    public void This_process_reports_the_tuning_it_got()
    {
        var expected = Environment.GetEnvironmentVariable("DISTTRAIN_MALLOC_TUNING") == "0"
            ? MallocTuning.None
            : MallocTuning.MmapThreshold | MallocTuning.TrimThreshold;
        if (Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is not null) expected &= ~MallocTuning.MmapThreshold;
        if (Environment.GetEnvironmentVariable("MALLOC_TRIM_THRESHOLD_") is not null) expected &= ~MallocTuning.TrimThreshold;
        Assert.Equal(expected, malloc_tuning);
    }
}
