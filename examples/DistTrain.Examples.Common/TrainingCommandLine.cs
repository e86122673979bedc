using System.CommandLine;

namespace DistTrain.Examples;

/// <summary>
/// The options every training example takes (--epochs, --batch-size, --lr, --seed, --threads, --checkpoint-every)
/// and how it prints its progress and its end; each example adds its own (data, model, optimizer).
/// </summary>
public sealed class TrainingCommandLine
{
    private readonly Option<int> epochs, batch, seed, threads, every;
    private readonly Option<double> lr;

    /// <summary>The options with their defaults.</summary>
    /// <param name="defaults">Defaults of the loop's options.</param>
    /// <param name="learningRate">Default learning rate.</param>
    /// <param name="epochsMean">What one epoch passes over (for --help).</param>
    /// <param name="optimizerName">The optimizer --lr is for (for --help).</param>
    public TrainingCommandLine(TrainingOptions defaults, double learningRate, string epochsMean, string optimizerName)
    {
        epochs = new Option<int>("--epochs") { Description = $"Passes over {epochsMean}.", DefaultValueFactory = _ => defaults.Epochs };
        batch = new Option<int>("--batch-size") { Description = "Samples per step, across all ranks.", DefaultValueFactory = _ => defaults.BatchSize };
        lr = new Option<double>("--lr") { Description = $"{optimizerName} learning rate.", DefaultValueFactory = _ => learningRate };
        seed = new Option<int>("--seed") { Description = "Seeds initialisation and shuffling.", DefaultValueFactory = _ => defaults.Seed };
        threads = new Option<int>("--threads") { Description = "Intra-op threads per rank.", DefaultValueFactory = _ => defaults.Threads };
        every = new Option<int>("--checkpoint-every")
        {
            Description = "Steps between checkpoints under `disttrain run --checkpoint-dir DIR` (also at the end and on SIGTERM/SIGUSR1; a rerun resumes).",
            DefaultValueFactory = _ => defaults.CheckpointEvery,
        };
    }

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { epochs, batch, lr, seed, threads, every }) command.Options.Add(option);
    }

    /// <summary>The loop's options as parsed.</summary>
    public TrainingOptions Read(ParseResult parsed) => new(parsed.GetValue(epochs), parsed.GetValue(batch), parsed.GetValue(seed),
        parsed.GetValue(threads), parsed.GetValue(every));

    /// <summary>The learning rate as parsed.</summary>
    public double LearningRate(ParseResult parsed) => parsed.GetValue(lr);

    /// <summary>"batch 64 (32 per rank × 2 ranks), lr 0.05, 1 thread(s)": the run's settings for its first line.</summary>
    public static string Describe(TrainingOptions options, double learningRate)
    {
        var world = DataParallel.WorldSize();
        var perRank = world > 1 ? $" ({options.BatchSize / world} per rank × {world} ranks)" : "";
        return $"batch {options.BatchSize}{perRank}, lr {learningRate}, {options.Threads} thread(s)";
    }

    /// <summary>Prints one epoch's line (with prefetched batches, ending with the share of the epoch spent waiting for them).</summary>
    public static void PrintEpoch(EpochReport r) =>
        Console.WriteLine($"epoch {r.Epoch}  loss {r.MeanLoss:F4}  lr {r.LearningRate:G4}  {r.SamplesPerSecond,8:F0} samples/s  held-out accuracy {r.HeldOutAccuracy:P2}" +
            (r.DataWaitShare is { } wait ? $"  data wait {wait:P1}" : ""));

    /// <summary>Prints how the run ended: the final held-out accuracy, or that it stopped early and how to resume (rank 0 only).</summary>
    public static void PrintEnd(IReadOnlyList<EpochReport> reports, TrainingOptions options)
    {
        if (reports.Count > 0 && reports[^1] is { Stopped: false } end && end.Epoch == options.Epochs)
            Console.WriteLine($"held-out accuracy: {end.HeldOutAccuracy:P2}");
        else if (DataParallel.IsMaster())
            Console.WriteLine(reports.Count == 0 && options.Epochs > 0 ? "nothing left to train: the latest checkpoint is the end" : "stopped before the end: run the same command again to resume");
    }
}
