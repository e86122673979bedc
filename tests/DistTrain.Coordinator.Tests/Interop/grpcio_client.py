"""A real gRPC client (Debian's python3-grpcio) calls every method of a DistTrain coordinator.

Usage: grpcio_client.py ADDRESS TOKEN
The coordinator must have rounds of exactly one node. Prints one line per check, "name=value",
then "done". The checks run in order; a failure prints its traceback to stderr and stops.
"""
import socket
import sys

import grpc

from coordinator_pb import load

pb = load()
address, token = sys.argv[1:3]
host, port = address.rsplit(":", 1)
auth = [("authorization", f"Bearer {token}")]


def code_of(call):
    try:
        call()
        return "OK", ""
    except grpc.RpcError as error:
        return error.code().name, error.details() or ""


def report(name, value):
    print(f"{name}={value}", flush=True)


channel = grpc.insecure_channel(address)
stub = pb.grpc.CoordinatorStub(channel)
rdzv, member, store = pb.rendezvous, pb.membership, pb.store

# Rendezvous and membership.
world = stub.Join(rdzv.JoinRequest(node_id="py-node", local_world_size=2, host="py-host"), metadata=auth, timeout=10).world
report("world", f"{world.round},{world.world_size},{world.nodes[0].node_id},{world.nodes[0].host},{world.store_namespace},{world.heartbeat_misses}")
beat = stub.Heartbeat(member.HeartbeatRequest(node_id="py-node", round=world.round), metadata=auth, timeout=5)
report("heartbeat", f"{beat.current_round},{member.RoundState.Name(beat.state)},{beat.rejoin_required}")
report("invalid_join", "%s|%s" % code_of(lambda: stub.Join(rdzv.JoinRequest(node_id="bad", local_world_size=0), metadata=auth, timeout=5)))

# The key-value store.
ns = world.store_namespace
stub.StoreSet(store.StoreSetRequest(namespace=ns, key="master", value=b"10.0.0.1:29500"), metadata=auth, timeout=5)
report("get", stub.StoreGet(store.StoreGetRequest(namespace=ns, key="master"), metadata=auth, timeout=5).value.decode())
report("add", stub.StoreAdd(store.StoreAddRequest(namespace=ns, key="n", delta=7), metadata=auth, timeout=5).value)
created = stub.StoreCompareSet(store.StoreCompareSetRequest(namespace=ns, key="cas", expected=b"", desired=b"one"), metadata=auth, timeout=5)
refused = stub.StoreCompareSet(store.StoreCompareSetRequest(namespace=ns, key="cas", expected=b"zero", desired=b"two"), metadata=auth, timeout=5)
report("compare_set", f"{created.swapped},{refused.swapped},{refused.value.decode()}")
report("check", stub.StoreCheck(store.StoreCheckRequest(namespace=ns, keys=["master", "n"]), metadata=auth, timeout=5).all_exist)
stub.StoreWait(store.StoreWaitRequest(namespace=ns, keys=["master", "cas"]), metadata=auth, timeout=5)
report("wait", "OK")
report("num_keys", stub.StoreNumKeys(store.StoreNumKeysRequest(namespace=ns), metadata=auth, timeout=5).count)
report("delete", stub.StoreDelete(store.StoreDeleteRequest(namespace=ns, key="cas"), metadata=auth, timeout=5).existed)
report("unknown_namespace", code_of(lambda: stub.StoreCheck(store.StoreCheckRequest(namespace="round-99", keys=["k"]), metadata=auth, timeout=5))[0])

# Deadlines: the coordinator's own (the key never appears), and the caller's (the coordinator would wait 300 s).
missing = store.StoreGetRequest(namespace=ns, key="absent")
missing.timeout.FromMilliseconds(50)
report("server_deadline", "%s|%s" % code_of(lambda: stub.StoreGet(missing, metadata=auth, timeout=5)))
report("client_deadline", code_of(lambda: stub.StoreGet(store.StoreGetRequest(namespace=ns, key="absent"), metadata=auth, timeout=0.3))[0])

# The token.
report("no_token", "%s|%s" % code_of(lambda: stub.Heartbeat(member.HeartbeatRequest(node_id="py-node"), timeout=5)))
report("wrong_token", "%s|%s" % code_of(lambda: stub.Heartbeat(
    member.HeartbeatRequest(node_id="py-node"), metadata=[("authorization", "Bearer wrong-token")], timeout=5)))

# A watch: the snapshot, then what leaving does to the round.
stream = stub.Watch(member.WatchRequest(node_id="py-watcher"), metadata=auth, timeout=30)
first = next(stream)
report("watch_first", f"{first.WhichOneof('event')},{member.RoundState.Name(first.snapshot.state)},{first.snapshot.world.round}")
report("leave", stub.Leave(rdzv.LeaveRequest(node_id="py-node", reason="finished"), metadata=auth, timeout=5).was_member)
left, reopened = next(stream), next(stream)
report("watch_next", f"{left.WhichOneof('event')}:{left.node_left.node_id}:{left.node_left.reason},{reopened.WhichOneof('event')}:{reopened.round}")
stream.cancel()

# Methods nobody implements, and the health service (no token; raw bytes: HealthCheckRequest{} and field 1 of the answer).
report("unimplemented", code_of(lambda: channel.unary_unary("/disttrain.v1.Coordinator/Teleport")(b"", metadata=auth, timeout=5))[0])
health = channel.unary_unary("/grpc.health.v1.Health/Check")(b"", timeout=5)
report("health", {b"\x08\x01": "SERVING", b"\x08\x02": "NOT_SERVING"}.get(health, repr(health)))

# Garbage on the port: each on its own connection, which the coordinator closes or refuses; it keeps serving.
garbage = [
    b"\x00\xff" * 512,                                                          # not HTTP at all
    b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",                                       # HTTP/1.1 on an HTTP/2 port
    b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + b"\x00\x00\x04\xff\x00\x00\x00\x00\x00abcd",  # preface, then a frame of an unknown type
    b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + b"\xff\xff\xff\x01\x00\x00\x00\x00\x01",     # preface, then a HEADERS frame far too large
    b"PRI * HTTP/2.0\r\n",                                                      # half a preface, then the connection closes
]
for payload in garbage:
    with socket.create_connection((host, int(port)), timeout=5) as raw:
        raw.sendall(payload)
        raw.shutdown(socket.SHUT_WR)
        try:
            while raw.recv(4096):
                pass
        except (ConnectionResetError, socket.timeout):
            pass
with grpc.insecure_channel(address) as fresh:
    after = pb.grpc.CoordinatorStub(fresh).Heartbeat(member.HeartbeatRequest(node_id="py-node", round=1), metadata=auth, timeout=5)
report("after_garbage", after.rejoin_required)
channel.close()
print("done", flush=True)
