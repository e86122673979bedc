"""PyTorch's NCCL on the same card, timed the way DistTrain.GpuCheck times NcclBackend.

World size 1 through init_process_group with a FileStore; a float32 buffer of --large-mib MiB filled
with 1.0; 3 warm-up ops, then --iterations ops each timed from launch until the host saw it finish
(dist.all_reduce, then torch.cuda.synchronize), then the same ops back to back. Prints key=value lines
with the same names as the .NET tool, prefixed with "torch.".
"""

import argparse
import os
import statistics
import sys
import tempfile
import time


def emit(key, value):
    print(f"torch.{key}={value}", flush=True)


def timed(op, iterations, sync):
    for _ in range(3):
        op()
    sync()
    times = []
    for _ in range(iterations):
        t0 = time.perf_counter()
        op()
        sync()
        times.append((time.perf_counter() - t0) * 1000.0)
    t0 = time.perf_counter()
    for _ in range(iterations):
        op()
    sync()
    burst = (time.perf_counter() - t0) * 1000.0 / iterations
    times.sort()
    return times, burst


def report(name, nbytes, iterations, times, burst):
    median = times[iterations // 2]
    emit(f"{name}.bytes", nbytes)
    emit(f"{name}.iterations", iterations)
    emit(f"{name}.min_ms", f"{times[0]:.4f}")
    emit(f"{name}.median_ms", f"{median:.4f}")
    emit(f"{name}.max_ms", f"{times[-1]:.4f}")
    emit(f"{name}.mean_ms", f"{statistics.fmean(times):.4f}")
    emit(f"{name}.burst_ms_per_op", f"{burst:.4f}")
    emit(f"{name}.algbw_GBps", f"{nbytes / (median / 1000.0) / 1e9:.1f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--large-mib", type=int, default=256)
    parser.add_argument("--iterations", type=int, default=20)
    # Only to test this script on a machine without a GPU: the same steps over Gloo on the CPU.
    parser.add_argument("--cpu-gloo-selftest", action="store_true")
    args = parser.parse_args()

    import torch
    import torch.distributed as dist

    emit("version", torch.__version__)
    emit("cuda_version", torch.version.cuda)
    emit("cuda_available", torch.cuda.is_available())
    selftest = args.cpu_gloo_selftest
    if not torch.cuda.is_available() and not selftest:
        emit("result", "no-cuda")
        return 3
    if not selftest:
        emit("device0_name", torch.cuda.get_device_name(0))
        try:
            emit("nccl_version", ".".join(str(v) for v in torch.cuda.nccl.version()))
        except Exception as e:  # noqa: BLE001 - informational only
            emit("nccl_version", f"unknown ({e})")
        emit("nccl_available", dist.is_nccl_available())
        torch.cuda.set_device(0)

    device = torch.device("cpu") if selftest else torch.device("cuda", 0)
    sync = (lambda: None) if selftest else torch.cuda.synchronize
    fd, path = tempfile.mkstemp(prefix="torch-baseline-store-")
    os.close(fd)
    os.unlink(path)
    store = dist.FileStore(path, 1)
    t0 = time.perf_counter()
    if selftest:
        dist.init_process_group("gloo", store=store, rank=0, world_size=1)
    else:
        dist.init_process_group("nccl", store=store, rank=0, world_size=1, device_id=device)
    # NCCL communicators are created lazily: the first collective pays for it.
    first = torch.ones(1, device=device)
    dist.all_reduce(first)
    sync()
    emit("connect_world1.ms", f"{(time.perf_counter() - t0) * 1000.0:.1f}")

    nbytes = args.large_mib << 20
    count = nbytes // 4
    data = torch.ones(count, dtype=torch.float32, device=device)
    out = torch.zeros(count, dtype=torch.float32, device=device)
    # Gloo (self-test only) has no all_gather_into_tensor: its list form moves the same bytes.
    gather = (lambda: dist.all_gather([out], data)) if selftest else (lambda: dist.all_gather_into_tensor(out, data))
    failures = 0
    for name, op, result in (
        ("large_all_reduce", lambda: dist.all_reduce(data, op=dist.ReduceOp.SUM), data),
        ("large_all_gather", gather, out),
    ):
        try:
            times, burst = timed(op, args.iterations, sync)
            report(name, nbytes, args.iterations, times, burst)
            emit(f"{name}.values", "exact" if bool((result == 1.0).all()) else "WRONG")
        except Exception as e:  # noqa: BLE001 - report and go on to the next
            failures += 1
            emit(f"{name}.error", f"{type(e).__name__}: {e}".replace("\n", " | "))

    dist.destroy_process_group()
    try:
        os.unlink(path)
    except OSError:
        pass
    emit("result", "ok" if failures == 0 else "some-failed")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
