#!/usr/bin/env bash
# All-reduce bandwidth, DistTrain against raw torch.distributed (gloo), same machine, same sizes:
#   bench/distributed/allreduce_compare.sh [ranks] [elements] [iterations] [rounds]
# (defaults 2 ranks, 10,000,000 floats, 20 timed all-reduces, 3 rounds). Each round runs the sides one
# after the other: DistTrain over Gloo alone (DISTTRAIN_LOCAL_ALLREDUCE=0: Debian's standalone Gloo, ring
# all-reduce, as PyTorch's ProcessGroupGloo uses), DistTrain with its defaults (ranks on one host sum
# through shared memory), DistTrain on a tensor from ProcessGroup.empty_shared (what DDP's buckets are:
# the sum reads the peers' copies in place), all under `disttrain run --standalone`, and PyTorch's
# ranks started here.
# Each side's line is printed, then the medians over rounds and the ratios DistTrain / PyTorch of
# algorithm bandwidth.
set -euo pipefail
cd "$(dirname "$0")/../.."
ranks=${1:-2}; elements=${2:-10000000}; iterations=${3:-20}; rounds=${4:-3}
python=${PYTHON:-/usr/bin/python3}   # Debian's python3-torch (see shared notes)
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT

dotnet build -c Release bench/DistTrain.Bench.Distributed -v q -nologo > "$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }
bench_dll=bench/DistTrain.Bench.Distributed/bin/Release/net10.0/DistTrain.Bench.Distributed.dll

# Starts `ranks` processes of "$@" with torchrun's environment on a fresh port; prints rank 0's line.
launch() {
  local port pids=() r
  port=$($python -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
  for ((r = 0; r < ranks; r++)); do
    RANK=$r LOCAL_RANK=$r WORLD_SIZE=$ranks LOCAL_WORLD_SIZE=$ranks MASTER_ADDR=127.0.0.1 MASTER_PORT=$port \
      timeout 300 "$@" > "$out/rank$r.log" 2>&1 & pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || { cat "$out"/rank*.log; exit 1; }; done
  grep allreduce: "$out/rank0.log"
}

# DistTrain's ranks under `disttrain run --standalone` (its workers bootstrap through the embedded coordinator).
disttrain() {
  timeout 300 scripts/disttrain run --standalone --nproc-per-node "$ranks" -- dotnet "$bench_dll" allreduce "$elements" "$iterations" 3 "${1:-private}" \
    > "$out/disttrain.log" 2>&1 || { cat "$out/disttrain.log"; exit 1; }
  sed -n 's/^\[rank0\]: //p' "$out/disttrain.log" | grep allreduce:
}

scripts/disttrain --help >/dev/null   # builds the launcher once
for ((i = 1; i <= rounds; i++)); do
  DISTTRAIN_LOCAL_ALLREDUCE=0 disttrain | tee -a "$out/disttrain-gloo.txt"
  disttrain | tee -a "$out/disttrain.txt"
  disttrain shared | tee -a "$out/disttrain-shared.txt"
  launch "$python" bench/distributed/allreduce_torch.py "$elements" "$iterations" | tee -a "$out/torch.txt"
done

$python - "$out/disttrain-gloo.txt" "$out/disttrain.txt" "$out/torch.txt" "$out/disttrain-shared.txt" <<'PY'
import re, statistics, sys
def read(path, key):
    return [float(re.search(key + r"=([0-9.]+)", l).group(1)) for l in open(path)]
t, tb = read(sys.argv[3], "algbw_GBps"), read(sys.argv[3], "best_ms")
for name, path in (("disttrain over gloo", sys.argv[1]), ("disttrain", sys.argv[2]), ("disttrain, shared tensor", sys.argv[4])):
    d, db = read(path, "algbw_GBps"), read(path, "best_ms")
    ratios = [a / b for a, b in zip(d, t)]
    print(f"{name}: median algbw {statistics.median(d):.3f} GB/s against torch's {statistics.median(t):.3f} GB/s, "
          f"ratio {statistics.median(d) / statistics.median(t):.3f} (goal >= 0.95); per-round ratios "
          f"{' '.join(f'{r:.2f}' for r in ratios)}; best single all-reduce {min(db):.2f} ms against {min(tb):.2f} ms")
PY
