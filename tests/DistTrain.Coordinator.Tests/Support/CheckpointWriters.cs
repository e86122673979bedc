using DistTrain.Checkpointing;
using DistTrain.Protocol;
using DistTrain.Protocol.V1;
using Google.Protobuf;
using DataPlanPosition = DistTrain.Protocol.V1.DataPlanPosition;

namespace DistTrain.Coordinator.Tests.Support;

/// <summary>What a rank does for a coordinator checkpoint, without TorchSharp: begin, write files into the staging directory, report.</summary>
internal static class CheckpointWriters
{
    /// <summary>A fresh directory under the temporary directory, for one test's checkpoint root.</summary>
    public static string TempRoot() => Directory.CreateTempSubdirectory("coordinator-ckpt-").FullName;

    /// <summary>Writes <paramref name="files"/> (name → content) into the attempt's staging directory under <paramref name="root"/>, as a rank does.</summary>
    public static IEnumerable<CheckpointFileInfo> Write(string root, long step, string attempt, params (string Name, byte[] Content)[] files)
    {
        var staged = new CheckpointStore(new CheckpointStoreOptions { Root = root }).Begin(step, attempt);
        foreach (var (name, content) in files)
        {
            var written = staged.WriteFile(name, s => s.Write(content));
            yield return new CheckpointFileInfo { Name = written.Name, Size = written.Size, Sha256 = written.Sha256 };
        }
    }

    /// <summary>Every rank of a world of <paramref name="worldSize"/> begins step <paramref name="step"/>; rank 0 writes <c>model.safetensors</c> and reports the data plan's position; all report. Returns the last report's answer.</summary>
    public static async Task<ReportCheckpointResponse> CheckpointAsync(
        CoordinatorCheckpointClient checkpoints, string root, long step, int worldSize, string dataset = "train", long consumed = 0, byte[]? model = null)
    {
        var attempts = new List<BeginCheckpointResponse>();
        for (var rank = 0; rank < worldSize; rank++)
        {
            attempts.Add(await checkpoints.BeginAsync(step, worldSize, rank));
        }

        ReportCheckpointResponse last = null!;
        for (var rank = 0; rank < worldSize; rank++)
        {
            var report = new ReportCheckpointRequest { Attempt = attempts[rank].Attempt, Rank = rank };
            report.RngStates.Add("torch", ByteString.CopyFrom([(byte)rank, 1, 2]));
            if (rank == 0)
            {
                report.Files.AddRange(Write(root, step, attempts[0].Attempt, ("model.safetensors", model ?? [1, 2, 3, (byte)step])));
                report.Progress = new CheckpointProgressInfo
                {
                    Epoch = 0, Dataset = dataset, DataPlan = new DataPlanPosition { Epoch = 0, Consumed = consumed }, DataPlanSeed = 7,
                };
            }

            last = await checkpoints.ReportAsync(report);
        }

        return last;
    }
}
