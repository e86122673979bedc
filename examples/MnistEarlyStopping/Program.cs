using System.CommandLine;
using DistTrain.Examples;
using DistTrain.Examples.MnistEarlyStopping;

var epochs = new Option<int>("--epochs") { Description = "Epochs at most.", DefaultValueFactory = _ => 10 };
var patience = new Option<int>("--patience") { Description = "Epochs without a better held-out accuracy before stopping.", DefaultValueFactory = _ => 2 };
var batch = new Option<int>("--batch-size") { Description = "Samples per step across all ranks.", DefaultValueFactory = _ => 64 };
var trainCount = new Option<int>("--train-count") { Description = "Samples trained on.", DefaultValueFactory = _ => 8000 };
var heldOut = new Option<int>("--held-out") { Description = "Samples held out (after the training ones).", DefaultValueFactory = _ => 2000 };
var workers = new Option<int>("--workers") { Description = "Background threads building batches (0: none).", DefaultValueFactory = _ => 2 };
var data = new Option<string?>("--data") { Description = "The MNIST directory (default: the checkout's shared data)." };
var every = new Option<int>("--checkpoint-every")
{
    Description = "Steps between checkpoints under `disttrain run --checkpoint-dir DIR` (also at the end and on SIGTERM/SIGUSR1; a rerun resumes).",
    DefaultValueFactory = _ => 50,
};
var root = new RootCommand("Trains the MNIST CNN with augmentation, prefetching, held-out metrics and early stopping, through DistTrain's Trainer.")
    { epochs, patience, batch, trainCount, heldOut, workers, data, every };
root.SetAction(parsed =>
{
    var options = new AugmentedMnistOptions(parsed.GetValue(epochs), parsed.GetValue(patience), parsed.GetValue(batch), parsed.GetValue(trainCount),
        parsed.GetValue(heldOut), parsed.GetValue(workers), CheckpointEvery: parsed.GetValue(every));
    var result = AugmentedMnist.Train(ExamplePaths.ResolveMnistDirectory(parsed.GetValue(data)), options, (e, wait) =>
        Console.WriteLine($"epoch {e.Epoch,2}  loss {e.Metrics["train_loss"]:F4}  held-out accuracy {e.Metrics["val_accuracy"]:P2}  macro F1 {e.Metrics["val_f1"]:F4}  lr {e.LearningRate:F4}  data wait {wait.TotalSeconds:F2} s"));
    if (DataParallel.IsMaster())
        Console.WriteLine(result.Stopped ? "stopped before the end: run the same command again to resume"
            : result.StoppedEarly && result.Epochs.Count == 0 ? $"stopped early at the epoch the checkpoint ended: best held-out accuracy at epoch {result.BestEpoch}"
            : result.Epochs.Count == 0 ? "nothing left to train: the latest checkpoint is the end"
            : result.StoppedEarly
                ? $"stopped early after epoch {result.Epochs[^1].Epoch}: best held-out accuracy at epoch {result.BestEpoch}"
                : $"trained to epoch {result.Epochs[^1].Epoch}: best held-out accuracy at epoch {result.BestEpoch}");
    return 0;
});
return root.Parse(args).Invoke();
