# The launcher benchmark's PyTorch worker: the same step as FirstStepWorker (784-512-256-10 MLP, batch 64,
# MSE, backward, SGD update), then the Unix time in milliseconds at which the step finished.
import os
import time

import torch

rank = os.environ.get("RANK", "?")
model = torch.nn.Sequential(
    torch.nn.Linear(784, 512), torch.nn.ReLU(),
    torch.nn.Linear(512, 256), torch.nn.ReLU(),
    torch.nn.Linear(256, 10))
x = torch.randn(64, 784)
y = torch.randn(64, 10)
loss = torch.nn.functional.mse_loss(model(x), y)
loss.backward()
with torch.no_grad():
    for p in model.parameters():
        p.sub_(p.grad, alpha=0.01)
print(f"first_step rank={rank} unix_ms={int(time.time() * 1000)}", flush=True)
