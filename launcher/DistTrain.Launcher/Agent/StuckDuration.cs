namespace DistTrain.Launcher.Agent;

/// <summary>
/// How long each rank has been named stuck without a break, as the agent sees it in the coordinator's
/// views: whether one has been stuck for at least the given time. A view that names it anything else resets it.
/// </summary>
/// <param name="required">How long a rank must stay stuck (zero: the first view that names it).</param>
internal sealed class StuckDuration(TimeSpan required)
{
    private readonly Dictionary<int, DateTime> _since = [];

    /// <summary>Records whether <paramref name="rank"/> is named stuck in the view seen at <paramref name="now"/>; true when it has been for <c>required</c> or longer.</summary>
    public bool Observe(int rank, bool stuck, DateTime now)
    {
        if (!stuck)
        {
            _since.Remove(rank);
            return false;
        }

        _since.TryAdd(rank, now);
        return now - _since[rank] >= required;
    }
}
