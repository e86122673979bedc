"""A grpcio server playing the coordinator (disttrain.v1.Coordinator), for DistTrain's client to call.

Usage: grpcio_server.py TOKEN [--port N] [--unavailable N]
Prints "PORT <n>" once it listens on 127.0.0.1, then serves until its standard input closes, so it
cannot outlive the test that started it. Its behaviour, per method:
  Join        the world of round 7 holding the caller (host as given)
  Heartbeat   UNAVAILABLE for the first N calls (--unavailable), then an answer
  StoreAdd    always UNAVAILABLE (a method that must not be retried)
  StoreGet    key "slow": waits 30 s (or until the call ends); key "missing": NOT_FOUND with a
              message in Unicode and with a percent sign; any other key: its name as the value
  StoreNumKeys  how many calls the method named by the namespace received ("Heartbeat", "StoreAdd")
  Watch       a snapshot, a round_closed, then nothing until the caller cancels
Every call must carry "authorization: Bearer TOKEN", or it gets UNAUTHENTICATED.
"""
import argparse
import collections
import sys
import threading
import time
from concurrent import futures

import grpc

from coordinator_pb import load

pb = load()
rdzv, member, store = pb.rendezvous, pb.membership, pb.store


class FakeCoordinator(pb.grpc.CoordinatorServicer):
    def __init__(self, token, unavailable):
        self.bearer = f"Bearer {token}"
        self.unavailable = unavailable
        self.calls = collections.Counter()
        self.lock = threading.Lock()

    def _enter(self, method, context):
        with self.lock:
            self.calls[method] += 1
            count = self.calls[method]
        if dict(context.invocation_metadata()).get("authorization") != self.bearer:
            context.abort(grpc.StatusCode.UNAUTHENTICATED, "the fake coordinator wants the test's token")
        return count

    def Join(self, request, context):
        self._enter("Join", context)
        world = rdzv.World(round=7, world_size=request.local_world_size, store_namespace="round-7", heartbeat_misses=3)
        world.heartbeat_interval.FromSeconds(5)
        world.nodes.add(node_id=request.node_id, node_rank=0, base_rank=0, local_world_size=request.local_world_size, host=request.host)
        return rdzv.JoinResponse(world=world)

    def Heartbeat(self, request, context):
        if self._enter("Heartbeat", context) <= self.unavailable:
            context.abort(grpc.StatusCode.UNAVAILABLE, "the fake coordinator is warming up")
        return member.HeartbeatResponse(current_round=request.round, state=member.ROUND_STATE_CLOSED, rejoin_required=False)

    def StoreAdd(self, request, context):
        self._enter("StoreAdd", context)
        context.abort(grpc.StatusCode.UNAVAILABLE, "the fake coordinator never adds")

    def StoreGet(self, request, context):
        self._enter("StoreGet", context)
        if request.key == "slow":
            end = time.monotonic() + 30
            while time.monotonic() < end and context.is_active():
                time.sleep(0.01)
            return store.StoreGetResponse(value=b"late")
        if request.key == "missing":
            context.abort(grpc.StatusCode.NOT_FOUND, "no such key: 'missing' (100% ünïcode)")
        return store.StoreGetResponse(value=request.key.encode())

    def StoreNumKeys(self, request, context):
        self._enter("StoreNumKeys", context)
        with self.lock:
            return store.StoreNumKeysResponse(count=self.calls[request.namespace])

    def Watch(self, request, context):
        self._enter("Watch", context)
        yield member.WatchEvent(round=7, snapshot=member.Snapshot(state=member.ROUND_STATE_OPEN, joined_nodes=1))
        closed = member.WatchEvent(round=7)
        closed.round_closed.round = 7
        closed.round_closed.store_namespace = "round-7"
        yield closed
        while context.is_active():
            time.sleep(0.01)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("token")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--unavailable", type=int, default=0)
    args = parser.parse_args()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=16))
    pb.grpc.add_CoordinatorServicer_to_server(FakeCoordinator(args.token, args.unavailable), server)
    port = server.add_insecure_port(f"127.0.0.1:{args.port}")
    server.start()
    print(f"PORT {port}", flush=True)
    sys.stdin.read()
    server.stop(grace=None)


if __name__ == "__main__":
    main()
