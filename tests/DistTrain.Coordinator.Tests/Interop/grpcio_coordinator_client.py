"""A real gRPC client (python3-grpcio) driving the coordinator through the generated stubs.

Usage: grpcio_coordinator_client.py PROTO_ROOT ADDRESS TOKEN
Prints one line per check, "name=value", then "done".
"""
import importlib
import os
import sys
import tempfile

import grpc
from grpc_tools import protoc

proto_root, address, token = sys.argv[1:4]
out = tempfile.mkdtemp()
files = [os.path.join("disttrain", "v1", f) for f in sorted(os.listdir(os.path.join(proto_root, "disttrain", "v1")))]
includes = os.path.join(os.path.dirname(protoc.__file__), "_proto")
if protoc.main(["protoc", f"-I{proto_root}", f"-I{includes}", f"--python_out={out}", f"--grpc_python_out={out}", *files]) != 0:
    sys.exit("protoc failed")
sys.path.insert(0, out)
pb_rdzv = importlib.import_module("disttrain.v1.rendezvous_pb2")
pb_member = importlib.import_module("disttrain.v1.membership_pb2")
pb_store = importlib.import_module("disttrain.v1.store_pb2")
stubs = importlib.import_module("disttrain.v1.coordinator_pb2_grpc")

channel = grpc.insecure_channel(address)
stub = stubs.CoordinatorStub(channel)
auth = [("authorization", f"Bearer {token}")]

world = stub.Join(pb_rdzv.JoinRequest(node_id="py-node", local_world_size=2, host="py-host"), metadata=auth, timeout=10).world
print(f"world={world.round},{world.world_size},{world.nodes[0].node_id},{world.store_namespace}")

beat = stub.Heartbeat(pb_member.HeartbeatRequest(node_id="py-node", round=world.round), metadata=auth, timeout=5)
print(f"rejoin_required={beat.rejoin_required}")

ns = world.store_namespace
stub.StoreSet(pb_store.StoreSetRequest(namespace=ns, key="master", value=b"10.0.0.1:29500"), metadata=auth, timeout=5)
got = stub.StoreGet(pb_store.StoreGetRequest(namespace=ns, key="master"), metadata=auth, timeout=5)
print(f"get={got.value.decode()}")
added = stub.StoreAdd(pb_store.StoreAddRequest(namespace=ns, key="n", delta=7), metadata=auth, timeout=5)
print(f"add={added.value}")

try:
    request = pb_store.StoreGetRequest(namespace=ns, key="absent")
    request.timeout.FromMilliseconds(50)
    stub.StoreGet(request, metadata=auth, timeout=5)
    print("missing_get=OK")
except grpc.RpcError as e:
    print(f"missing_get={e.code().name}")

try:
    stub.Heartbeat(pb_member.HeartbeatRequest(node_id="py-node"), metadata=[("authorization", "Bearer wrong-token")], timeout=5)
    print("wrong_token=OK")
except grpc.RpcError as e:
    print(f"wrong_token={e.code().name}")

stream = stub.Watch(pb_member.WatchRequest(node_id="py-watcher"), metadata=auth, timeout=5)
first = next(stream)
print(f"watch_first={first.WhichOneof('event')},{pb_member.RoundState.Name(first.snapshot.state)}")
stream.cancel()
print("done")
