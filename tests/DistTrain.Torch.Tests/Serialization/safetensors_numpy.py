#!/usr/bin/python3
"""Writes and reads safetensors files with numpy alone (Debian's python3-torch 1.13 has no safetensors).

  safetensors_numpy.py write PATH   writes the reference tensors below (data deliberately not in name order)
  safetensors_numpy.py read PATH    parses a file and prints {"metadata": ..., "tensors": {name: {dtype, shape, values}}}

The C# tests use it to prove files cross the language boundary in both directions.
"""
import json
import struct
import sys

import numpy as np

DTYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4", "I16": "<i2", "I8": "i1", "U8": "u1",
          "BOOL": "?", "BF16": "<u2"}


def bf16_bits(values):
    """bfloat16 as numpy cannot hold it: the upper 16 bits of each float32 (exact for these values)."""
    return (np.array(values, dtype="<f4").view("<u4") >> 16).astype("<u2")


def reference():
    return [
        ("scalar", "F32", np.array(42.0, dtype="<f4")),
        ("f32", "F32", (np.arange(6, dtype="<f4") * 0.5 - 1).reshape(2, 3)),
        ("f64", "F64", np.array([np.pi, -np.e, 1e300], dtype="<f8")),
        ("i64", "I64", np.array([-(2 ** 40), 0, 2 ** 40 + 1], dtype="<i8")),
        ("i32", "I32", np.array([[-7], [8]], dtype="<i4")),
        ("i16", "I16", np.array([-300, 300], dtype="<i2")),
        ("i8", "I8", np.array([-128, 127], dtype="i1")),
        ("u8", "U8", np.array([0, 255, 7], dtype="u1")),
        ("bool", "BOOL", np.array([True, False, True])),
        ("f16", "F16", np.array([0.5, -2.0, 65504.0], dtype="<f2")),
        ("bf16", "BF16", bf16_bits([1.0, -3.0])),
        ("empty", "F32", np.zeros((0, 4), dtype="<f4")),
    ]


def write(path):
    header = {"__metadata__": {"format": "pt", "written_by": "numpy"}}
    chunks, offset = [], 0
    for name, dtype, array in reference():
        data = np.ascontiguousarray(array).tobytes()
        header[name] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    encoded = json.dumps(header).encode("utf-8")
    encoded += b" " * ((8 - len(encoded) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for chunk in chunks:
            f.write(chunk)


def read(path):
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    data = blob[8 + n:]
    out = {"metadata": header.pop("__metadata__", {}), "tensors": {}}
    covered = 0
    for name, entry in header.items():
        begin, end = entry["data_offsets"]
        array = np.frombuffer(data[begin:end], dtype=DTYPES[entry["dtype"]]).reshape(entry["shape"])
        if entry["dtype"] == "BF16":
            array = (array.astype("<u4") << 16).view("<f4")
        assert array.nbytes == end - begin or entry["dtype"] == "BF16", name
        covered += end - begin
        values = array.reshape(-1).tolist()
        out["tensors"][name] = {"dtype": entry["dtype"], "shape": entry["shape"], "values": values}
    assert covered == len(data), f"tensors cover {covered} of {len(data)} data bytes"
    print(json.dumps(out))


if __name__ == "__main__":
    {"write": write, "read": read}[sys.argv[1]](sys.argv[2])
