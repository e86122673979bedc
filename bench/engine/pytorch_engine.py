#!/usr/bin/python3
"""PyTorch eager baseline for bench/engine/run.sh: one training configuration, timed in-process.

Trains the same models as bench/DistTrain.Bench.Engine (MLP 784-512-256-10, CNN conv32-conv64-fc128)
with SGD (lr 0.01, momentum 0.9) and cross-entropy on one fixed synthetic batch, and prints
"ms_per_step=<median of the timed blocks>".
"""
import argparse
import statistics
import time

import torch
from torch import nn


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 10))


def cnn():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(1600, 128), nn.ReLU(), nn.Linear(128, 10))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", choices=["mlp", "cnn"], required=True)
    parser.add_argument("--batch", type=int, required=True)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--blocks", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = mlp() if args.model == "mlp" else cnn()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.randn(args.batch, 1, 28, 28)
    y = torch.randint(0, 10, (args.batch,))

    def step():
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()

    for _ in range(args.warmup):
        step()
    blocks = []
    for _ in range(args.blocks):
        start = time.perf_counter()
        for _ in range(args.steps):
            step()
        blocks.append((time.perf_counter() - start) * 1000 / args.steps)
    print(f"ms_per_step={statistics.median(blocks):.4f}")


if __name__ == "__main__":
    main()
