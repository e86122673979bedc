#!/usr/bin/python3
"""PyTorch side of bench/resnet/run.sh: torchvision's resnet18 trained under torchrun + DistributedDataParallel.

The same loop as DistTrain's examples/ResNetCifar, with PyTorch's defaults: CIFAR-format batches read from
--data-dir (data_batch_K.bin: 1 label byte + 3,072 pixel bytes a record), normalised with CIFAR-10's mean and std,
a TensorDataset with a DistributedSampler and a DataLoader (no worker processes, like TorchSharp's), SGD (momentum
0.9, weight decay 5e-4) and cross-entropy, --batch images per step across all ranks. After each epoch rank 0 prints
  epoch=<E> global_images_per_s=<images every rank trained / the slowest rank's time for the epoch's loop>
"""
import argparse
import glob
import os
import sys
import time

import numpy as np
import torch
import torch.distributed as dist
import torchvision
from torch import nn
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

MEAN = torch.tensor([0.4914, 0.4822, 0.4465]).view(1, 3, 1, 1)
STD = torch.tensor([0.2470, 0.2435, 0.2616]).view(1, 3, 1, 1)


def load(directory):
    files = sorted(glob.glob(os.path.join(directory, "data_batch_*.bin")))
    if not files:
        raise SystemExit(f"{directory} has no data_batch_*.bin")
    records = np.concatenate([np.fromfile(f, dtype=np.uint8).reshape(-1, 3073) for f in files])
    labels = torch.from_numpy(records[:, 0].astype(np.int64))
    images = torch.from_numpy(records[:, 1:].copy()).view(-1, 3, 32, 32).float().div_(255).sub_(MEAN).div_(STD)
    return TensorDataset(images, labels)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch", type=int, default=64, help="images per step across all ranks")
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    dist.init_process_group("gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    data = load(args.data_dir)
    torch.manual_seed(1)
    model = nn.parallel.DistributedDataParallel(torchvision.models.resnet18(num_classes=10))
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, weight_decay=5e-4)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, args.epochs)
    loss_fn = nn.CrossEntropyLoss()
    sampler = DistributedSampler(data, world, rank, shuffle=True, seed=1)
    loader = DataLoader(data, batch_size=args.batch // world, sampler=sampler)
    for epoch in range(1, args.epochs + 1):
        sampler.set_epoch(epoch)
        model.train()
        start, images = time.perf_counter(), 0
        for x, y in loader:
            optimizer.zero_grad()
            loss_fn(model(x), y).backward()
            optimizer.step()
            images += y.shape[0]
        elapsed = torch.tensor([time.perf_counter() - start], dtype=torch.float64)
        dist.all_reduce(elapsed, op=dist.ReduceOp.MAX)
        scheduler.step()
        if rank == 0:
            print(f"epoch={epoch} global_images_per_s={images * world / elapsed.item():.1f}", flush=True)
    # Debian's 1.13 sometimes hangs tearing gloo down at interpreter exit; the measurement is done.
    dist.barrier()
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
