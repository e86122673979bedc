"""Compiles Protos/echo.proto with grpc_tools at start-up and imports the generated modules.

Shared by echo_client.py and echo_server.py; nothing generated is kept once the process exits.
"""
import atexit
import os
import shutil
import sys
import tempfile

from grpc_tools import protoc


def load():
    """Returns (echo_pb2, echo_pb2_grpc) generated from the proto next to the test binaries."""
    proto_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "Protos")
    out = tempfile.mkdtemp(prefix="disttrain-echo-")
    atexit.register(shutil.rmtree, out, ignore_errors=True)
    rc = protoc.main(["protoc", f"-I{proto_dir}", f"--python_out={out}", f"--grpc_python_out={out}",
                      os.path.join(proto_dir, "echo.proto")])
    if rc != 0:
        sys.exit(f"protoc failed with exit code {rc}")
    sys.path.insert(0, out)
    import echo_pb2
    import echo_pb2_grpc
    return echo_pb2, echo_pb2_grpc


def status_by_number():
    """Maps a numeric gRPC status to grpcio's StatusCode member."""
    import grpc
    return {code.value[0]: code for code in grpc.StatusCode}
