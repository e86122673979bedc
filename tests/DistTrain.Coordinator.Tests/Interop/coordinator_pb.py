"""Compiles protos/disttrain/v1 with grpc_tools when a script starts and imports the generated modules.

Shared by the interop scripts; nothing generated is kept once the process exits.
"""
import atexit
import importlib
import os
import shutil
import sys
import tempfile

from grpc_tools import protoc

PROTO_ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "protos")


def load():
    """Returns a namespace with rendezvous, membership, store (the _pb2 modules) and grpc (coordinator_pb2_grpc)."""
    out = tempfile.mkdtemp(prefix="disttrain-pb-")
    atexit.register(shutil.rmtree, out, ignore_errors=True)
    folder = os.path.join(PROTO_ROOT, "disttrain", "v1")
    files = [os.path.join("disttrain", "v1", name) for name in sorted(os.listdir(folder)) if name.endswith(".proto")]
    includes = os.path.join(os.path.dirname(protoc.__file__), "_proto")
    rc = protoc.main(["protoc", f"-I{PROTO_ROOT}", f"-I{includes}", f"--python_out={out}", f"--grpc_python_out={out}", *files])
    if rc != 0:
        sys.exit(f"protoc failed with exit code {rc}")
    sys.path.insert(0, out)

    class Modules:
        rendezvous = importlib.import_module("disttrain.v1.rendezvous_pb2")
        membership = importlib.import_module("disttrain.v1.membership_pb2")
        store = importlib.import_module("disttrain.v1.store_pb2")
        grpc = importlib.import_module("disttrain.v1.coordinator_pb2_grpc")

    return Modules
