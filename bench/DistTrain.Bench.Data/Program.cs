// Data wait as a share of a training step, with the batches built on the training thread (workers 0) and
// prefetched on background threads. One process, CIFAR-sized synthetic images (3 × 32 × 32 bytes in memory),
// each sample converted to float, augmented (random crop with padding 4, flip, rotation up to 5°, normalise)
// and collated; a small CNN (two 3 × 3 convolutions of 32 and 64 channels, pooling, a linear layer), SGD.
//   DistTrain.Bench.Data [--workers 0,2] [--steps 40] [--batch 64] [--threads 1]
using System.Diagnostics;
using DistTrain.Data;
using DistTrain.Data.Augmentation;
using TorchSharp;
using static TorchSharp.torch;

var workers = Option("--workers", "0,2").Split(',').Select(int.Parse).ToArray();
var steps = int.Parse(Option("--steps", "40"));
var batch = int.Parse(Option("--batch", "64"));
torch.set_num_threads(int.Parse(Option("--threads", "1")));
const int Warmup = 5;

manual_seed(1);
var samples = (Warmup + steps) * batch;
using var images = randint(256, [samples, 3, 32, 32], dtype: ScalarType.Byte);
using var labels = randint(10, [samples]);
var augmentation = new SampleAugmentation(1, new RandomCrop(32, padding: 4), new RandomHorizontalFlip(), new RandomRotation(5),
    new Normalize([0.49, 0.48, 0.45], [0.25, 0.24, 0.26]));
IReadOnlyList<Tensor> Sample(long id)
{
    using var image = images[id].to(ScalarType.Float32) / 255;
    return [augmentation.Apply(image, epoch: 1, id), labels[id]];
}

Console.WriteLine($"batch {batch}, {steps} timed steps after {Warmup}, {torch.get_num_threads()} intra-op thread(s), {Environment.ProcessorCount} cores, load {File.ReadAllText("/proc/loadavg").Trim()}");
Console.WriteLine("workers  ms/step  data wait ms/step  data wait share");
foreach (var w in workers)
{
    manual_seed(2);
    using var model = nn.Sequential(nn.Conv2d(3, 32, 3, padding: 1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3, padding: 1), nn.ReLU(),
        nn.MaxPool2d(2), nn.Flatten(), nn.Linear(64 * 8 * 8, 10));
    using var optimizer = optim.SGD(model.parameters(), 0.01, momentum: 0.9);
    var loader = new PrefetchingLoader(Enumerable.Range(0, samples).Select(i => (long)i), batch, Sample, numWorkers: w, prefetchBatches: 4);
    var (clock, waitAtStart, step) = (new Stopwatch(), TimeSpan.Zero, 0);
    foreach (var b in loader)
    {
        if (step == Warmup)
        {
            waitAtStart = loader.DataWait; // from here on: the timed steps and the waits between them
            clock.Start();
        }
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        nn.functional.cross_entropy(model.call(b[0]), b[1]).backward();
        optimizer.step();
        step++;
    }
    clock.Stop();
    var wait = loader.DataWait - waitAtStart;
    Console.WriteLine($"{w,7}  {clock.Elapsed.TotalMilliseconds / steps,7:F2}  {wait.TotalMilliseconds / steps,17:F2}  {wait / clock.Elapsed,14:P1}");
}

string Option(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
