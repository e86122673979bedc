using DistTrain.Coordinator.Rendezvous;
using Microsoft.Extensions.Options;

namespace DistTrain.Coordinator.Service;

/// <summary>
/// The serialized join response of the latest closed round: every participant of a round receives
/// the same world, so it is serialized once per round, not once per node. The joiners of a closing
/// round all ask at once; the first serializes under the lock and the others take its result.
/// </summary>
internal sealed class WorldResponses(IOptions<CoordinatorOptions> options)
{
    private readonly Lock _lock = new();
    private Entry? _last;
    private int _serializations;

    /// <summary>How many worlds were serialized so far (one per round that anyone joined).</summary>
    public int Serializations => Volatile.Read(ref _serializations);

    /// <summary>The response for <paramref name="world"/>: the cached one when it is the same round's world, else a new one that replaces it.</summary>
    public SerializedJoinResponse For(RendezvousWorld world)
    {
        if (Volatile.Read(ref _last) is { } cached && ReferenceEquals(cached.World, world))
        {
            return cached.Response;
        }

        lock (_lock)
        {
            if (_last is { } entry && ReferenceEquals(entry.World, world))
            {
                return entry.Response;
            }

            var response = SerializedJoinResponse.For(world.ToProto(options.Value.Heartbeat));
            _serializations++;
            Volatile.Write(ref _last, new Entry(world, response));
            return response;
        }
    }

    private sealed record Entry(RendezvousWorld World, SerializedJoinResponse Response);
}
