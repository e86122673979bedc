using TorchSharp;

namespace DistTrain.Distributed.Tests.Launch;

/// <summary>Which device a rank computes on by default.</summary>
public sealed class DefaultDeviceTests
{
    private static (DeviceType, int) Of(torch.Device device) => (device.type, device.index);

    [Fact]
    public void Without_gpus_every_rank_uses_the_cpu() =>
        Assert.Equal(DeviceType.CPU, DistributedContext.DefaultDevice(localRank: 3, visibleGpus: 0).type);

    [Fact]
    public void A_worker_that_sees_one_gpu_uses_it_whatever_its_local_rank() =>
        Assert.Equal((DeviceType.CUDA, 0), Of(DistributedContext.DefaultDevice(localRank: 3, visibleGpus: 1)));

    [Fact]
    public void A_worker_that_sees_several_gpus_uses_the_one_at_its_local_rank() =>
        Assert.Equal((DeviceType.CUDA, 2), Of(DistributedContext.DefaultDevice(localRank: 2, visibleGpus: 4)));

    [Fact]
    public void A_local_rank_beyond_the_visible_gpus_is_an_error_naming_LOCAL_RANK()
    {
        var e = Assert.Throws<LaunchEnvironmentException>(() => DistributedContext.DefaultDevice(localRank: 4, visibleGpus: 2));
        Assert.Equal("LOCAL_RANK", e.Variable);
        Assert.Contains("sees only 2 GPUs", e.Message);
    }
}
