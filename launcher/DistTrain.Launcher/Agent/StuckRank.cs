using System.Globalization;
using DistTrain.Protocol.V1;

namespace DistTrain.Launcher.Agent;

/// <summary>A rank of this node that the coordinator named stuck, and for which the agent restarted the group: the root cause of that restart.</summary>
/// <param name="Rank">Its global rank.</param>
/// <param name="Host">Its host.</param>
/// <param name="Pid">Its process id.</param>
/// <param name="Round">The round it was stuck in.</param>
/// <param name="Step">Its last reported step.</param>
/// <param name="Collective">Its last collective's name (empty: none issued).</param>
/// <param name="Sequence">Its last collective's sequence number.</param>
/// <param name="Reason">The coordinator's words ("collective 412 (all_reduce) has not advanced for 10 s while ranks 0 wait in 413").</param>
public sealed record StuckRank(int Rank, string Host, int Pid, ulong Round, long Step, string Collective, long Sequence, string Reason)
{
    /// <summary>The rank as the coordinator's telemetry describes it.</summary>
    public static StuckRank From(RankStatus status, ulong round)
    {
        ArgumentNullException.ThrowIfNull(status);
        var latest = status.Latest;
        return new StuckRank(latest.Identity.Rank, latest.Identity.Host, latest.Identity.Pid, round, latest.Step,
            latest.Collective?.Name ?? "", latest.Collective?.Sequence ?? 0, status.HealthReason);
    }

    /// <summary>"rank 1 on host-a (pid 4002), round 1: last step 57, last collective all_reduce #60; the reason".</summary>
    public string Text
    {
        get
        {
            var collective = Collective.Length > 0 ? string.Create(CultureInfo.InvariantCulture, $"last collective {Collective} #{Sequence}") : "no collective issued";
            return string.Create(CultureInfo.InvariantCulture, $"rank {Rank} on {Host} (pid {Pid}), round {Round}: last step {Step}, {collective}; {Reason}");
        }
    }
}
