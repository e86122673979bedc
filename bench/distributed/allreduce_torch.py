#!/usr/bin/env python3
"""All-reduce bandwidth through raw torch.distributed (gloo), the baseline for DistTrain's.

Started once per rank with RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT (TCPStore bootstrap):
    allreduce_torch.py [elements] [iterations] [warmup]   (defaults 10,000,000 floats, 20, 3)
Rank 0 prints one line in the format of `DistTrain.Bench.Distributed allreduce`.
"""
import os
import sys
import time

import torch
import torch.distributed as dist


def main():
    elements = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    iterations = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    warmup = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    torch.set_num_threads(1)
    dist.init_process_group("gloo")  # env:// : MASTER_ADDR, MASTER_PORT, RANK, WORLD_SIZE
    size = dist.get_world_size()
    t = torch.ones(elements)
    for _ in range(warmup):
        dist.all_reduce(t)

    times = []
    for _ in range(iterations):
        dist.barrier()
        start = time.perf_counter()
        dist.all_reduce(t)
        times.append(time.perf_counter() - start)

    if dist.get_rank() == 0:
        times.sort()
        median = times[len(times) // 2]
        nbytes = elements * 4
        print(f"torch allreduce: ranks={size} elements={elements} iterations={iterations} "
              f"median_ms={median * 1e3:.2f} best_ms={times[0] * 1e3:.2f} "
              f"algbw_GBps={nbytes / median / 1e9:.3f} busbw_GBps={nbytes / median / 1e9 * 2 * (size - 1) / size:.3f}")
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
