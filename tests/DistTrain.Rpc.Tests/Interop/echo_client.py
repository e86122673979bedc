"""Calls a DistTrain server hosting the Echo test service with grpcio, one scenario per run.

Usage: echo_client.py TARGET SCENARIO [--token BEARER] [--ca PEM]
Prints one JSON object: the status code name, details, and what the scenario received.
"""
import argparse
import json

import grpc

from echo_pb import load

pb, pb_grpc = load()


def text_pairs(metadata):
    return {key: value for key, value in (metadata or ()) if isinstance(value, str)}


def scenario_result(stub, channel, scenario, metadata):
    if scenario == "say":
        reply, call = stub.Say.with_call(
            pb.EchoRequest(text="from grpcio"), timeout=10,
            metadata=metadata + [("x-lang", "python"), ("blob-bin", b"\x00\x01\xfe")])
        return {"text": reply.text, "metadata": list(reply.metadata), "peer": reply.peer,
                "trailers": text_pairs(call.trailing_metadata())}
    if scenario in ("say-gzip", "say-deflate"):
        compression = grpc.Compression.Gzip if scenario == "say-gzip" else grpc.Compression.Deflate
        reply = stub.Say(pb.EchoRequest(text="z" * 5000), timeout=10, metadata=metadata, compression=compression)
        return {"text": reply.text}
    if scenario == "count":
        return {"indexes": [r.index for r in stub.Count(pb.EchoRequest(count=5), timeout=10, metadata=metadata)]}
    if scenario == "unimplemented":
        stub.Unregistered(pb.EchoRequest(), timeout=10, metadata=metadata)
        return {}
    if scenario == "deadline":
        # Connect first, so the short deadline is spent in the handler rather than on start-up.
        stub.Say(pb.EchoRequest(), timeout=10, metadata=metadata)
        stub.Say(pb.EchoRequest(delay_ms=10000), timeout=0.3, metadata=metadata)
        return {}
    if scenario == "fail":
        stub.Say(pb.EchoRequest(fail_code=5, fail_message="no such key: k"), timeout=10, metadata=metadata)
        return {}
    if scenario == "malformed":
        # Field 1 declared 100 bytes long with 2 bytes present: not a valid EchoRequest.
        raw = channel.unary_unary("/disttrain.rpctest.v1.Echo/Say")
        raw(b"\x0a\x64\x01\x02", timeout=10, metadata=metadata)
        return {}
    raise SystemExit(f"unknown scenario {scenario}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("target")
    parser.add_argument("scenario")
    parser.add_argument("--token")
    parser.add_argument("--ca", help="PEM file of the server's certificate; use TLS")
    args = parser.parse_args()
    metadata = [("authorization", args.token)] if args.token else []
    if args.ca:
        with open(args.ca, "rb") as pem:
            credentials = grpc.ssl_channel_credentials(root_certificates=pem.read())
        channel = grpc.secure_channel(args.target, credentials,
                                      options=[("grpc.ssl_target_name_override", "localhost")])
    else:
        channel = grpc.insecure_channel(args.target)
    with channel:
        stub = pb_grpc.EchoStub(channel)
        try:
            result = {"code": "OK", "details": ""}
            result.update(scenario_result(stub, channel, args.scenario, metadata))
        except grpc.RpcError as error:
            result = {"code": error.code().name, "details": error.details() or ""}
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
