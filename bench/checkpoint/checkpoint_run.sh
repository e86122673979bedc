#!/usr/bin/env bash
# Checkpoint benchmarks: what a checkpoint every EVERY steps costs a 2-rank DDP run (`disttrain run --standalone
# --checkpoint-dir`, the coordinator's two-phase commit, saves in the background as the examples do), on the
# MNIST CNN (1.8 MB of state with SGD's momentum) and on "wide", an MLP whose state is 93 MB; then how fast
# one process writes a 93 MB checkpoint against dd to the same disk, and how long resuming it takes.
#
# Step time, three variants per model, their order rotated each rep so drifting load favours none:
#   none      no checkpoint code at all
#   agree     the examples' checkpoint path (the ranks agree on the triggers every 10 steps), never saving
#   every N   the same, saving every EVERY steps
# overhead = every N / none - 1 (and / agree - 1: the saves alone).
#
#   bench/checkpoint/checkpoint_run.sh      # REPS=3 STEPS=200 EVERY=50; DISK=dir on the disk to measure (default artifacts/)
#   WARMUP_SAVES=40 MODELS=cnn bench/checkpoint/checkpoint_run.sh   # time after 40 saves' worth of steps (default 1): the steady state,
#                                                                   # once tiered compilation has recompiled the save path
#   MODELS=cnn DISK=/dev/shm bench/checkpoint/checkpoint_run.sh   # one model, checkpoints in memory: what the disk adds
set -euo pipefail
cd "$(dirname "$0")/../.."

REPS=${REPS:-3}
STEPS=${STEPS:-200}
EVERY=${EVERY:-50}
MODELS=${MODELS:-cnn wide}
WARMUP_SAVES=${WARMUP_SAVES:-1}
DISK=${DISK:-$PWD/artifacts}
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 DISTTRAIN_PROGRESS=off
mkdir -p "$DISK"
work=$(mktemp -d -p "$DISK" checkpoint-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

dotnet build bench/DistTrain.Bench.Distributed -c Release -nologo -clp:ErrorsOnly >/dev/null
scripts/disttrain --help >/dev/null   # builds the launcher once
bench_dll=bench/DistTrain.Bench.Distributed/bin/Release/net10.0/DistTrain.Bench.Distributed.dll

# One 2-rank run in a fresh checkpoint directory; prints rank 0's result line.
run() {
  local ck out
  ck=$(mktemp -d -p "$work" ck.XXXXXX)
  out="$ck.log"
  if ! scripts/disttrain run --standalone --nproc-per-node 2 --checkpoint-dir "$ck" -- dotnet "$bench_dll" checkpoint "$@" >"$out" 2>&1; then
    cat "$out" >&2
    return 1
  fi
  rm -rf "$ck"
  sed -n 's/^\[rank0\]: //p' "$out" | grep '^ms_per_step='
}

field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)   $(bench/machine.sh)   $(getconf _NPROCESSORS_ONLN) cores   2 ranks, 1 thread each, $STEPS steps x 3 blocks, a checkpoint every $EVERY steps after $((WARMUP_SAVES * EVERY + 1)) warm-up steps, disk $(df --output=source "$DISK" | tail -1)"
variants=(none agree every)
for model in $MODELS; do
  batch=32
  declare -A ms=() jit=()
  for rep in $(seq 1 "$REPS"); do
    for k in 0 1 2; do
      variant=${variants[$(((k + rep) % 3))]}
      common=(--model "$model" --batch "$batch" --steps "$STEPS" --blocks 3 --threads 1 --warmup-steps $((WARMUP_SAVES * EVERY + 1)))
      case $variant in
        none) line=$(run "${common[@]}" --no-checkpoints) ;;
        agree) line=$(run "${common[@]}" --every 0) ;;
        every) line=$(run "${common[@]}" --every "$EVERY") ;;
      esac
      ms[$variant]+="$(field ms_per_step <<<"$line") "
      jit[$variant]+="$(field jit_ms <<<"$line") "
      echo "  rep $rep  $model  $variant: $line" >&2
    done
  done
  none=$(median <<<"${ms[none]}"); agree=$(median <<<"${ms[agree]}"); every=$(median <<<"${ms[every]}")
  echo "$model  rank 0's JIT time in the timed blocks, median: none $(median <<<"${jit[none]}") ms, agree $(median <<<"${jit[agree]}") ms, every $EVERY $(median <<<"${jit[every]}") ms"
  awk -v m="$model" -v n="$none" -v a="$agree" -v e="$every" -v N="$EVERY" 'BEGIN {
    printf "%-5s ms/step: none %.3f  agree %.3f  every %d %.3f   overhead vs none %+.1f%%, saves alone %+.1f%%\n", m, n, a, N, e, (e / n - 1) * 100, (e / a - 1) * 100 }'
  unset ms jit
done

# Save throughput against dd writing the same number of bytes to the same disk, each ending with fsync.
save=$(dotnet "$bench_dll" checkpoint-save --dir "$work/save" --model wide --saves 5)
bytes=$(field bytes <<<"$save")
dd_out=$(dd if=/dev/zero of="$work/dd.bin" bs=1M count=$((bytes / 1048576)) conv=fsync 2>&1 | tail -1)
dd_seconds=$(sed -n 's/.*copied, \([0-9.]*\) s.*/\1/p' <<<"$dd_out")
awk -v b="$bytes" -v s="$(field save_mb_per_s <<<"$save")" -v d="$dd_seconds" -v r="$(field resume_ms <<<"$save")" -v all="$save" 'BEGIN {
  dd = b / 1048576 * 1048576 / 1e6 / d
  printf "save of %.1f MB: %.1f MB/s, dd %.1f MB/s: %.0f%% of dd; resume (find, verify SHA-256, load; page cache warm) %.0f ms\n  (%s)\n", b / 1e6, s, dd, s / dd * 100, r, all }'
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
