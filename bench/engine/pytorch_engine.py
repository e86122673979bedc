#!/usr/bin/python3
"""PyTorch eager baseline for bench/engine/run.sh: one training configuration, timed in-process.

Trains the same models as bench/DistTrain.Bench.Engine (MLP 784-512-256-10, CNN conv32-conv64-fc128)
with SGD (lr 0.01, momentum 0.9) and cross-entropy on one fixed synthetic batch, and prints
"ms_per_step=<median of the timed blocks>" and "cpu_ms_per_step=" (process CPU time, less sensitive to a busy machine).
"""
import argparse
import os
import statistics
import sys
import time

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from mnist_models import cnn, mlp  # noqa: E402  (bench/mnist_models.py: the examples' models)


def tiny():
    """The MLP's sequence of operations with 1/30 of its arithmetic: a probe of per-operation overhead."""
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 10))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", choices=["mlp", "cnn", "tiny"], required=True)
    parser.add_argument("--batch", type=int, required=True)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--warmup-seconds", type=float, default=1.0, help="warm up for at least this long, too")
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--blocks", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--set-to-none", action="store_true",
                        help="zero_grad(set_to_none=True), DistTrain's default (PyTorch 1.13's is False)")
    parser.add_argument("--breakdown", action="store_true", help="also print the mean time of each phase of a step")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = {"mlp": mlp, "cnn": cnn, "tiny": tiny}[args.model]()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.randn(args.batch, 1, 28, 28)
    y = torch.randint(0, 10, (args.batch,))

    phases = [0.0] * 5

    def step():
        t0 = time.perf_counter()
        optimizer.zero_grad(set_to_none=args.set_to_none)
        t1 = time.perf_counter()
        output = model(x)
        t2 = time.perf_counter()
        loss = loss_fn(output, y)
        t3 = time.perf_counter()
        loss.backward()
        t4 = time.perf_counter()
        optimizer.step()
        t5 = time.perf_counter()
        for i, d in enumerate((t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4)):
            phases[i] += d

    warm_start, warmed = time.perf_counter(), 0
    while warmed < args.warmup or time.perf_counter() - warm_start < args.warmup_seconds:
        step()
        warmed += 1
    phases[:] = [0.0] * 5
    blocks, cpu_blocks = [], []
    for _ in range(args.blocks):
        start, cpu_start = time.perf_counter(), time.process_time()
        for _ in range(args.steps):
            step()
        blocks.append((time.perf_counter() - start) * 1000 / args.steps)
        cpu_blocks.append((time.process_time() - cpu_start) * 1000 / args.steps)
    print(f"ms_per_step={statistics.median(blocks):.4f}")
    print(f"cpu_ms_per_step={statistics.median(cpu_blocks):.4f}")
    if args.breakdown:
        for name, total in zip(("zero_grad", "forward", "loss", "backward", "step"), phases):
            print(f"  {name:<9} {total * 1000 / (args.steps * args.blocks):.4f} ms")


if __name__ == "__main__":
    main()
