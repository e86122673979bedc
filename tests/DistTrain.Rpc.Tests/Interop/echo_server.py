"""A grpcio server for the Echo test service, for DistTrain's client to call.

Prints "PORT <n>" once it listens on 127.0.0.1 (a port the OS picks), then serves until its
standard input closes, so it cannot outlive the test that started it.
"""
import argparse
import base64
import sys
import time
from concurrent import futures

import grpc

from echo_pb import load, status_by_number

pb, pb_grpc = load()
STATUS = status_by_number()


def metadata_lines(context):
    lines = []
    for key, value in context.invocation_metadata():
        if isinstance(value, bytes):
            value = base64.b64encode(value).decode("ascii")
        lines.append(f"{key}={value}")
    return sorted(lines)


def wait(context, milliseconds):
    """Sleeps, but only while the call is alive, so a cancelled call frees its thread at once."""
    end = time.monotonic() + milliseconds / 1000
    while time.monotonic() < end and context.is_active():
        time.sleep(0.01)


class Echo(pb_grpc.EchoServicer):
    def Say(self, request, context):
        wait(context, request.delay_ms)
        context.set_trailing_metadata([("echo-trailer", "said")])
        if request.fail_code:
            context.abort(STATUS[request.fail_code], request.fail_message)
        return pb.EchoReply(text=request.text, payload=b"\0" * request.count,
                            metadata=metadata_lines(context), peer=context.peer())

    def Count(self, request, context):
        for i in range(request.count):
            if i:
                wait(context, request.delay_ms)
            yield pb.EchoReply(text=request.text, index=i)
        if request.fail_code:
            context.abort(STATUS[request.fail_code], request.fail_message)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--compression", choices=["gzip", "deflate"], help="compress every response")
    args = parser.parse_args()
    compression = {"gzip": grpc.Compression.Gzip, "deflate": grpc.Compression.Deflate}.get(args.compression)
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8), compression=compression)
    pb_grpc.add_EchoServicer_to_server(Echo(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print(f"PORT {port}", flush=True)
    sys.stdin.read()
    server.stop(grace=None)


if __name__ == "__main__":
    main()
