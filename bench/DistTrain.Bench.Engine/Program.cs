// Trains one configuration (the MLP or the CNN of the examples, at one batch size) with TorchSharp under
// DistTrain's worker defaults (intra-op threads set, glibc malloc tuned: DistTrain.Runtime.MallocTuning),
// with SGD (lr 0.01, momentum 0.9) and cross-entropy on one fixed synthetic batch, exactly as
// bench/engine/pytorch_engine.py does (both warm up for at least --warmup steps and --warmup-seconds), and prints
// "ms_per_step=<median of the timed blocks>" and "cpu_ms_per_step=" (process CPU time). With --breakdown it
// also prints where a step's time goes (zero_grad, forward, loss, backward, step) from Stopwatch readings.
using System.Diagnostics;
using DistTrain.Examples;
using DistTrain.Runtime;
using TorchSharp;
using static TorchSharp.torch;

string model = "mlp";
int batch = 8, warmup = 10, steps = 50, blocks = 3, threads = 1;
double warmupSeconds = 1.0;
var breakdown = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--model": model = args[++i]; break;
        case "--batch": batch = int.Parse(args[++i]); break;
        case "--warmup": warmup = int.Parse(args[++i]); break;
        case "--warmup-seconds": warmupSeconds = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--steps": steps = int.Parse(args[++i]); break;
        case "--blocks": blocks = int.Parse(args[++i]); break;
        case "--threads": threads = int.Parse(args[++i]); break;
        case "--breakdown": breakdown = true; break;
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}'; use --model mlp|cnn|tiny --batch N [--warmup N --warmup-seconds S --steps N --blocks N --threads N --breakdown]");
            return 2;
    }
}
if (model is not ("mlp" or "cnn" or "tiny"))
{
    Console.Error.WriteLine($"--model must be mlp, cnn or tiny, not '{model}'");
    return 2;
}

var malloc = MallocTuning.Apply();
set_num_threads(threads);
manual_seed(0);
using var net = model switch
{
    "mlp" => MnistModels.Mlp(),
    "cnn" => MnistModels.Cnn(),
    // The MLP's sequence of operations with 1/30 of its arithmetic: a probe of per-operation overhead.
    _ => nn.Sequential(nn.Flatten(), nn.Linear(784, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 10)),
};
using var optimizer = optim.SGD(net.parameters(), 0.01, momentum: 0.9);
using var criterion = nn.CrossEntropyLoss();
using var x = randn(batch, 1, 28, 28);
using var y = randint(0, 10, [batch]);

var phases = new double[5];
void Step(bool measure)
{
    using var scope = NewDisposeScope();
    long t0 = Stopwatch.GetTimestamp();
    optimizer.zero_grad();
    long t1 = Stopwatch.GetTimestamp();
    var output = net.call(x);
    long t2 = Stopwatch.GetTimestamp();
    var loss = criterion.call(output, y);
    long t3 = Stopwatch.GetTimestamp();
    loss.backward();
    long t4 = Stopwatch.GetTimestamp();
    optimizer.step();
    long t5 = Stopwatch.GetTimestamp();
    if (!measure) return;
    phases[0] += t1 - t0; phases[1] += t2 - t1; phases[2] += t3 - t2; phases[3] += t4 - t3; phases[4] += t5 - t4;
}

// At least `warmup` steps and `warmupSeconds`: .NET's tiered JIT recompiles hot methods in the background
// during the first ~second, and the timed blocks should see the steady state of both sides.
var warming = Stopwatch.StartNew();
for (var i = 0; i < warmup || warming.Elapsed.TotalSeconds < warmupSeconds; i++) Step(false);
var timings = new List<double>();
var cpuTimings = new List<double>();
var process = Process.GetCurrentProcess();
for (var b = 0; b < blocks; b++)
{
    process.Refresh();
    var cpuStart = process.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < steps; i++) Step(breakdown);
    timings.Add(clock.Elapsed.TotalMilliseconds / steps);
    process.Refresh();
    cpuTimings.Add((process.TotalProcessorTime - cpuStart).TotalMilliseconds / steps);
}
timings.Sort();
cpuTimings.Sort();
Console.WriteLine($"ms_per_step={timings[timings.Count / 2]:F4}");
Console.WriteLine($"cpu_ms_per_step={cpuTimings[cpuTimings.Count / 2]:F4}");
Console.WriteLine($"malloc_tuning={malloc}");
if (breakdown)
{
    string[] names = ["zero_grad", "forward", "loss", "backward", "step"];
    var total = (double)(steps * blocks) * Stopwatch.Frequency / 1000.0;
    for (var i = 0; i < names.Length; i++) Console.WriteLine($"  {names[i],-9} {phases[i] / total:F4} ms");
}
return 0;
