using System.CommandLine;
using DistTrain.Examples.Xor;

var epochs = new Option<int>("--epochs") { Description = "Full-batch training steps.", DefaultValueFactory = _ => 1000 };
var lr = new Option<double>("--lr") { Description = "SGD learning rate.", DefaultValueFactory = _ => 0.5 };
var seed = new Option<int>("--seed") { Description = "Seeds the weight initialisation.", DefaultValueFactory = _ => 1 };
var every = new Option<int>("--checkpoint-every")
{
    Description = "Epochs between checkpoints under `disttrain run --checkpoint-dir DIR` (also at the end and on SIGTERM/SIGUSR1; a rerun resumes).",
    DefaultValueFactory = _ => 100,
};
var root = new RootCommand("Learns XOR with a 2-8-1 network (tanh hidden, sigmoid output, BCE, SGD).") { epochs, lr, seed, every };
root.SetAction(parsed =>
{
    var result = XorTrainer.Train(parsed.GetValue(epochs), parsed.GetValue(lr), seed: parsed.GetValue(seed),
        progress: (epoch, loss) => Console.WriteLine($"epoch {epoch,5}  loss {loss:F5}"), checkpointEvery: parsed.GetValue(every));
    if (result.Stopped)
    {
        Console.WriteLine("stopped before the end: run the same command again to resume");
        return 0;
    }
    if (result.Epochs == 0) Console.WriteLine("nothing left to train: the latest checkpoint is the end");
    string[] inputs = ["0 xor 0", "0 xor 1", "1 xor 0", "1 xor 1"];
    for (var i = 0; i < 4; i++) Console.WriteLine($"{inputs[i]} = {result.Outputs[i]:F3} (target {XorResult.Targets[i]})");
    Console.WriteLine(result.Solved ? "XOR solved." : "XOR not solved.");
    return result.Solved ? 0 : 1;
});
return root.Parse(args).Invoke();
