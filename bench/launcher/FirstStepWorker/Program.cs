using TorchSharp;
using static TorchSharp.torch;

// One training step of a 784-512-256-10 MLP on a random batch of 64 (forward, MSE loss, backward,
// SGD update), the same as first_step.py does with PyTorch; then the Unix time in milliseconds at
// which the step finished, read by run.sh.
var rank = Environment.GetEnvironmentVariable("RANK") ?? "?";
var model = nn.Sequential(
    ("fc1", nn.Linear(784, 512)), ("relu1", nn.ReLU()),
    ("fc2", nn.Linear(512, 256)), ("relu2", nn.ReLU()),
    ("fc3", nn.Linear(256, 10)));
using (var scope = NewDisposeScope())
{
    var x = randn(64, 784);
    var y = randn(64, 10);
    var loss = nn.functional.mse_loss(model.forward(x), y);
    loss.backward();
    using (no_grad())
    {
        foreach (var p in model.parameters())
        {
            p.sub_(p.grad!.mul(0.01));
        }
    }
}

Console.WriteLine($"first_step rank={rank} unix_ms={DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}");
