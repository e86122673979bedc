using System.Text;
using DistTrain.Coordinator.Store;
using DistTrain.Coordinator.Tests.Support;

namespace DistTrain.Coordinator.Tests.Store;

public sealed class StoreNamespacesTests
{
    private readonly StoreNamespaces _namespaces = new(new FakeTimeProvider());

    [Fact]
    public void Each_round_gets_an_empty_namespace_and_never_sees_the_previous_keys()
    {
        _namespaces.Replace("round-1").Set("master", Encoding.ASCII.GetBytes("old"));

        var next = _namespaces.Replace("round-2");

        Assert.False(next.Check(["master"]));
        Assert.Throws<StoreNamespaceNotFoundException>(() => _namespaces.Get("round-1"));
    }

    [Fact]
    public async Task Replacing_a_namespace_fails_its_pending_waits()
    {
        var old = _namespaces.Replace("round-1");
        var wait = old.WaitAsync(["k"], TimeSpan.FromSeconds(30));

        _namespaces.Replace("round-2");

        var error = await Assert.ThrowsAsync<StoreClosedException>(() => wait);
        Assert.Contains("round-1", error.Message);
    }

    [Fact]
    public void Unknown_namespace_is_reported_by_name()
    {
        var error = Assert.Throws<StoreNamespaceNotFoundException>(() => _namespaces.Get("round-9"));

        Assert.Contains("'round-9'", error.Message);
    }
}
