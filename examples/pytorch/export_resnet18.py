#!/usr/bin/python3
"""Writes torchvision's resnet18 as PyTorch builds it, for DistTrain's ResNet examples and parity test.

    /usr/bin/python3 examples/pytorch/export_resnet18.py --out weights.safetensors [--classes 10] [--seed 0]
        [--check check.safetensors]

--out gets the model's state_dict (parameters and buffers: running_mean, running_var, num_batches_tracked)
in the safetensors format. --check also writes a fixed input [2, 3, 32, 32] ("input") and the logits the model
gives it in eval mode ("logits"), for the parity test. Debian 12 ships torchvision (python3-torchvision) but not
the safetensors package, so this script writes the format itself: an 8-byte little-endian header length, a JSON
header naming each tensor's dtype, shape and byte range, then the raw little-endian tensors.
"""
import argparse
import json
import struct
import sys

import torch
import torchvision

DTYPES = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64"}


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, tensor in tensors.items():
        if tensor.dtype not in DTYPES:
            raise SystemExit(f"{name} has dtype {tensor.dtype}; this writer handles {sorted(map(str, DTYPES))}")
        data = tensor.detach().contiguous().cpu().numpy().tobytes()  # native order: little-endian (checked in main)
        header[name] = {"dtype": DTYPES[tensor.dtype], "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * (-len(encoded) % 8)  # the data starts 8-byte aligned
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for blob in blobs:
            f.write(blob)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="where to write the state_dict (.safetensors)")
    parser.add_argument("--classes", type=int, default=10, help="outputs of the fc head (default 10)")
    parser.add_argument("--seed", type=int, default=0, help="seeds the initialisation and the check's input")
    parser.add_argument("--check", help="also write a fixed input and its eval-mode logits here")
    args = parser.parse_args()
    if sys.byteorder != "little":
        raise SystemExit("safetensors is little-endian; this writer copies native memory and needs a little-endian machine")

    torch.manual_seed(args.seed)
    model = torchvision.models.resnet18(num_classes=args.classes)
    # Running statistics away from their initial 0 and 1, so the parity check exercises the buffers too.
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(torch.randn(8, 3, 32, 32) * 2 + 0.5)
    write_safetensors(args.out, model.state_dict())
    if args.check:
        model.eval()
        inputs = torch.randn(2, 3, 32, 32)
        with torch.no_grad():
            logits = model(inputs)
        write_safetensors(args.check, {"input": inputs, "logits": logits})
    print(f"resnet18 ({args.classes} classes, seed {args.seed}): {len(model.state_dict())} tensors to {args.out}")


if __name__ == "__main__":
    main()
