using System.Text.Json;
using System.Text.Json.Nodes;
using DistTrain.Checkpointing;
using DistTrain.Coordinator.Checkpoints;
using DistTrain.Protocol.V1;
using static DistTrain.Coordinator.Service.StatusMapping;
using DataPlanPosition = DistTrain.Checkpointing.DataPlanPosition;

namespace DistTrain.Coordinator.Service;

/// <summary>
/// Checkpoint messages to domain types and back. A request field that breaks a rule is INVALID_ARGUMENT
/// naming the field as the proto spells it, its value and the rule.
/// </summary>
internal static class CheckpointMapping
{
    /// <summary>Checks a begin's step, world size and rank.</summary>
    public static void Check(BeginCheckpointRequest request)
    {
        if (request.Step < 0)
        {
            throw Invalid($"step ({request.Step}) must not be negative: the global step being checkpointed.");
        }

        if (request.WorldSize < 1)
        {
            throw Invalid($"world_size ({request.WorldSize}) must be at least 1: the number of ranks that will report.");
        }

        if (request.Rank < 0 || request.Rank >= request.WorldSize)
        {
            throw Invalid($"rank ({request.Rank}) must be in [0, {request.WorldSize - 1}] (world_size {request.WorldSize}).");
        }
    }

    /// <summary><paramref name="attempt"/>, checked: not empty.</summary>
    public static string RequireAttempt(string attempt) =>
        string.IsNullOrWhiteSpace(attempt) ? throw Invalid("attempt must not be empty: the id BeginCheckpoint returned.") : attempt;

    /// <summary>The report, checked: each file a plain name with a size of 0 or more and a 64-digit SHA-256, the progress' JSON objects parse.</summary>
    public static RankReport ToDomain(ReportCheckpointRequest request)
    {
        var files = new List<CheckpointFile>(request.Files.Count);
        for (var i = 0; i < request.Files.Count; i++)
        {
            files.Add(ToDomain(request.Files[i], $"files[{i}]"));
        }

        var rng = request.RngStates.ToDictionary(p => p.Key, p => Convert.ToBase64String(p.Value.Span), StringComparer.Ordinal);
        return new RankReport(request.Rank, files, rng, request.Progress is null ? null : ToDomain(request.Progress));
    }

    /// <summary>A committed checkpoint as sent.</summary>
    public static CheckpointInfo ToProto(this VerifiedCheckpoint checkpoint)
    {
        var manifest = checkpoint.Manifest;
        var progress = new CheckpointProgressInfo
        {
            Epoch = manifest.Epoch,
            ConfigHash = manifest.ConfigHash ?? "",
            SchedulerJson = manifest.Scheduler?.ToJsonString() ?? "",
            ExtraJson = manifest.Extra?.ToJsonString() ?? "",
        };
        if (manifest.DataPlan is { } plan)
        {
            progress.Dataset = plan.Dataset ?? "";
            progress.DataPlan = new Protocol.V1.DataPlanPosition { Epoch = plan.Epoch, Consumed = plan.SamplesConsumed };
            progress.DataPlanSeed = unchecked((ulong)plan.Seed);
        }

        return new CheckpointInfo { Step = manifest.Step, Name = checkpoint.Name, Directory = checkpoint.Path, WorldSize = manifest.WorldSize, Progress = progress };
    }

    private static CheckpointFile ToDomain(CheckpointFileInfo file, string field)
    {
        try
        {
            CheckpointLayout.ValidateFileName(file.Name);
        }
        catch (ArgumentException e)
        {
            throw Invalid($"{field}.name ('{file.Name}') is not a checkpoint file name: {e.Message}");
        }

        if (file.Size < 0)
        {
            throw Invalid($"{field}.size ({file.Size}) of '{file.Name}' must not be negative.");
        }

        if (file.Sha256.Length != 64 || !file.Sha256.All(Uri.IsHexDigit))
        {
            throw Invalid($"{field}.sha256 ('{file.Sha256}') of '{file.Name}' must be 64 hex digits.");
        }

        return new CheckpointFile(file.Name, file.Size, file.Sha256.ToLowerInvariant());
    }

    private static TrainingProgress ToDomain(CheckpointProgressInfo progress)
    {
        if (progress.Epoch < 0)
        {
            throw Invalid($"progress.epoch ({progress.Epoch}) must not be negative.");
        }

        DataPlanPosition? plan = null;
        if (progress.DataPlan is { } position)
        {
            if (progress.Dataset.Length == 0)
            {
                throw Invalid("progress.dataset must name the data plan's dataset when progress.data_plan is set.");
            }

            if (position.Epoch < 0 || position.Consumed < 0)
            {
                throw Invalid($"progress.data_plan (epoch {position.Epoch}, {position.Consumed} consumed) must have an epoch and a count of 0 or more.");
            }

            plan = new DataPlanPosition(position.Epoch, position.Consumed, unchecked((long)progress.DataPlanSeed)) { Dataset = progress.Dataset };
        }

        return new TrainingProgress(progress.Epoch, plan, progress.ConfigHash.Length > 0 ? progress.ConfigHash : null,
            JsonObjectOf(progress.SchedulerJson, "progress.scheduler_json"), JsonObjectOf(progress.ExtraJson, "progress.extra_json"));
    }

    private static JsonObject? JsonObjectOf(string text, string field)
    {
        if (text.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw Invalid($"{field} must be a JSON object ({{...}}), or empty.");
        }
        catch (JsonException e)
        {
            throw Invalid($"{field} is not JSON: {e.Message}");
        }
    }
}
