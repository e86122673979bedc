#!/usr/bin/python3
"""PyTorch side of bench/distributed/ddp_run.sh: data-parallel training throughput under torchrun.

Started by torchrun (gloo, CPU). Every rank trains the same model as bench/DistTrain.Bench.Distributed's DDP
mode (MNIST MLP 784-512-256-10 or CNN conv32-conv64-fc128) with SGD (lr 0.01, momentum 0.9) and cross-entropy
on a fixed synthetic batch per rank, and rank 0 prints
  ms_per_step=<median of the timed blocks>   samples_per_s=<global samples per second at that median>
--mode picks what a step does:
  ddp      DistributedDataParallel step (forward, backward with the bucketed all-reduce, optimizer step)
  compute  the same step without DDP (no communication): compute alone, with the other rank computing too
  comm     only the all-reduce of a gradient-sized flat tensor (communication alone)
--bucket-view adds gradient_as_bucket_view=True (PyTorch's fastest setting); without it, PyTorch's defaults.
"""
import argparse
import os
import statistics
import sys
import time

import torch
import torch.distributed as dist
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from mnist_models import cnn, mlp  # noqa: E402  (bench/mnist_models.py: the examples' models)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", choices=["mlp", "cnn"], required=True)
    parser.add_argument("--batch", type=int, required=True, help="samples per rank per step")
    parser.add_argument("--mode", choices=["ddp", "compute", "comm"], default="ddp")
    parser.add_argument("--bucket-view", action="store_true")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--warmup-seconds", type=float, default=1.0, help="warm up for at least this long, too")
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--blocks", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    dist.init_process_group("gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    torch.manual_seed(0)
    model = {"mlp": mlp, "cnn": cnn}[args.model]()
    if args.mode == "ddp":
        model = nn.parallel.DistributedDataParallel(model, gradient_as_bucket_view=args.bucket_view)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    torch.manual_seed(1 + rank)
    x = torch.randn(args.batch, 1, 28, 28)
    y = torch.randint(0, 10, (args.batch,))
    flat = torch.zeros(sum(p.numel() for p in model.parameters()))

    def train_step():
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()

    def comm_step():
        dist.all_reduce(flat)

    step = comm_step if args.mode == "comm" else train_step
    # At least --warmup steps and --warmup-seconds on every rank; the ranks agree when to stop.
    warm_start, warmed = time.perf_counter(), 0
    while True:
        step()
        warmed += 1
        if warmed < args.warmup:
            continue
        t = torch.tensor([time.perf_counter() - warm_start], dtype=torch.float64)
        dist.all_reduce(t, op=dist.ReduceOp.MIN)
        if t.item() >= args.warmup_seconds:
            break
    blocks = []
    for _ in range(args.blocks):
        dist.barrier()
        start = time.perf_counter()
        for _ in range(args.steps):
            step()
        elapsed = time.perf_counter() - start
        # The slowest rank sets the pace of a data-parallel job.
        t = torch.tensor([elapsed])
        dist.all_reduce(t, op=dist.ReduceOp.MAX)
        blocks.append(t.item() * 1000 / args.steps)
    if rank == 0:
        ms = statistics.median(blocks)
        print(f"ms_per_step={ms:.4f} samples_per_s={args.batch * world * 1000 / ms:.1f}", flush=True)
    # Debian's 1.13 sometimes hangs tearing gloo down at interpreter exit; the measurement is done.
    dist.barrier()
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
