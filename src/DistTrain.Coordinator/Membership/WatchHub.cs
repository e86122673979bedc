using DistTrain.Coordinator.Rendezvous;

namespace DistTrain.Coordinator.Membership;

/// <summary>
/// Fans membership events out to every watcher. Posting never blocks (each watcher has an
/// unbounded queue; events are rare and small), so the rendezvous can publish under its lock and
/// every watcher sees events in the order they happened.
/// </summary>
internal sealed class WatchHub
{
    private readonly Lock _lock = new();
    private WatchSubscription[] _subscribers = [];

    public int Count => Volatile.Read(ref _subscribers).Length;

    public WatchSubscription Subscribe(RendezvousSnapshot snapshot)
    {
        var subscription = new WatchSubscription(snapshot, Unsubscribe);
        lock (_lock)
        {
            _subscribers = [.. _subscribers, subscription];
        }

        return subscription;
    }

    public void Publish(MembershipEvent membershipEvent)
    {
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            subscriber.Post(membershipEvent);
        }
    }

    private void Unsubscribe(WatchSubscription subscription)
    {
        lock (_lock)
        {
            _subscribers = _subscribers.Where(s => s != subscription).ToArray();
        }
    }
}
