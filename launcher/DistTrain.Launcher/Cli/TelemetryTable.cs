using System.Globalization;
using System.Text;
using DistTrain.Protocol.Telemetry;
using DistTrain.Protocol.V1;

namespace DistTrain.Launcher.Cli;

/// <summary>The job's live table as <c>disttrain status</c> prints it: one line per rank (host, pid, step, samples/s, step time, health and why), then the failures.</summary>
internal static class TelemetryTable
{
    /// <summary>The table; says so in one line when no rank has reported yet.</summary>
    public static string Format(GetTelemetryResponse view)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        if (view.Ranks.Count == 0)
        {
            text.AppendLine("Telemetry: no rank has reported yet (workers report about once a second once they train with TrainingTelemetry).");
            return text.ToString();
        }

        text.AppendLine(c, $"Telemetry of round {view.Round}: {view.SamplesPerSecond:0.#} samples/s in all.");
        var rows = view.Ranks.Select(r => new[]
        {
            r.Latest.Identity.Rank.ToString(c),
            r.Latest.Identity.Host,
            r.Latest.Identity.Pid.ToString(c),
            r.Latest.Step.ToString(c),
            r.SamplesPerSecond.ToString("0.#", c),
            r.Latest.Phases is { Step: > 0 } p ? p.Step.ToString("0.000", c) : "-",
            r.Health.ToText() + (r.HealthReason.Length > 0 ? ": " + r.HealthReason : ""),
        }).Prepend(["rank", "host", "pid", "step", "samples/s", "step s", "health"]).ToList();
        var widths = Enumerable.Range(0, 6).Select(i => rows.Max(row => row[i].Length)).ToArray();
        foreach (var row in rows)
        {
            text.Append("  ");
            for (var i = 0; i < 6; i++)
            {
                text.Append(row[i].PadRight(widths[i] + 2));
            }

            text.AppendLine(row[6]);
        }

        foreach (var failure in view.Failures)
        {
            var id = failure.Identity;
            text.AppendLine(c, $"  failure: rank {id.Rank} ({id.Host}, pid {id.Pid}) at step {failure.Step}: {failure.ExceptionType}: {failure.Message}");
        }

        return text.ToString();
    }
}
