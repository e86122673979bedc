using DistTrain.Distributed.Tests.Store;
using DistTrain.Torch;
using DistTrain.Torch.Distributed;

namespace DistTrain.Distributed.Tests.Collectives;

/// <summary>The NCCL path in a native layer built against a CPU libtorch (Debian's): a clear error, not a crash.</summary>
public sealed class NcclAvailabilityTests
{
    [Fact]
    public void Creating_an_nccl_group_without_nccl_in_the_build_fails_saying_how_to_get_it()
    {
        if (ProcessGroup.is_nccl_available())
        {
            return; // a CUDA build: the NCCL path is exercised on GPU machines instead
        }

        var e = Assert.Throws<TorchException>(() => ProcessGroup.Nccl(new MemoryStore(), 0, 1));
        Assert.Contains("without NCCL", e.Message);
        Assert.Contains("gloo", e.Message);
    }
}
