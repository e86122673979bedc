using DistTrain.Distributed.Tests.Store;
using TorchSharp;

namespace DistTrain.Distributed.Tests.Collectives;

/// <summary>Without a GPU or NCCL, creating an NCCL group fails with a message naming what is missing, not a crash.</summary>
public sealed class NcclAvailabilityTests
{
    [Fact]
    public void Creating_an_nccl_group_without_a_gpu_or_nccl_fails_saying_what_to_install()
    {
        if (ProcessGroup.is_nccl_available())
        {
            return; // a machine with a GPU and NCCL: the NCCL path is exercised there instead
        }

        var e = Assert.Throws<DistributedException>(() => ProcessGroup.Nccl(new MemoryStore(), 0, 1, new torch.Device(DeviceType.CUDA, 0)));
        Assert.StartsWith("Rank 0 cannot create an NCCL process group: ", e.Message);
        Assert.True(e.Message.Contains("NVIDIA", StringComparison.Ordinal) || e.Message.Contains("install NCCL", StringComparison.Ordinal) || e.Message.Contains("CUDA", StringComparison.Ordinal), e.Message);
    }

    [Fact]
    public void An_nccl_group_on_a_cpu_device_is_refused_naming_the_device()
    {
        var e = Assert.Throws<ArgumentException>(() => ProcessGroup.Nccl(new MemoryStore(), 0, 1, torch.CPU));
        Assert.Contains("An NCCL group needs this rank's CUDA device (got cpu", e.Message);
    }
}
