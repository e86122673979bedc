#!/usr/bin/env bash
# Data-parallel training benchmark: 2-process DDP throughput, `disttrain run` + DistTrain's
# DistributedDataParallel on TorchSharp against torchrun + PyTorch DistributedDataParallel (gloo) on the same
# machine, with the same thread settings (1 intra-op thread and 1 BLAS thread per rank). PyTorch runs twice: with its defaults and with
# gradient_as_bucket_view=True (its fastest setting). DistTrain runs twice: with its defaults (its ranks
# on this host sum through shared memory) and over Gloo alone (DISTTRAIN_LOCAL_ALLREDUCE=0), the same
# transport as PyTorch's. Each configuration alternates the sides REPS times;
# the table shows median global samples/s and the ratios DistTrain / PyTorch (> 1: DistTrain is faster),
# then the step-time breakdown (compute alone, communication alone, DDP step) of both sides.
#
# Last, DistTrain's scaling: 2 ranks against 1 process at the same per-rank batch.
#
#   bench/distributed/ddp_run.sh          # REPS=3 STEPS=50 by default; CNN uses fewer steps
set -euo pipefail
cd "$(dirname "$0")/../.."

REPS=${REPS:-3}
STEPS=${STEPS:-50}
NPROC=2
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
python=/usr/bin/python3
[ -x "$python" ] || python=python3
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

dotnet build bench/DistTrain.Bench.Distributed -c Release -nologo -clp:ErrorsOnly >/dev/null
scripts/disttrain --help >/dev/null   # builds the launcher once
bench_dll=bench/DistTrain.Bench.Distributed/bin/Release/net10.0/DistTrain.Bench.Distributed.dll

free_port() { $python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# PyTorch: torchrun (Debian's needs --redirects/--tee/--log_dir on Python 3.11); rank 0's line is prefixed "[default0]:".
pytorch() {
  $python -m torch.distributed.run --standalone --nproc_per_node "$NPROC" --redirects 1 --tee 1 \
    --log_dir "$logs/torchrun.$RANDOM$RANDOM" bench/distributed/ddp_pytorch.py "$@" 2>/dev/null |
    sed -n 's/^\[default0\]://p' | grep '^ms_per_step='
}

# DistTrain: the ranks started by `disttrain run --standalone` (coordinator embedded); rank 0's line is prefixed "[rank0]: ".
# The first argument picks how sums travel: shm (DistTrain's default on one host) or gloo.
disttrain() {
  local local_all_reduce=1 out
  [ "$1" = gloo ] && local_all_reduce=0
  shift
  out="$logs/dt.$RANDOM$RANDOM"
  if ! DISTTRAIN_LOCAL_ALLREDUCE=$local_all_reduce scripts/disttrain run --standalone --nproc-per-node "$NPROC" -- \
      dotnet "$bench_dll" ddp "$@" >"$out" 2>&1; then
    cat "$out" >&2
    return 1
  fi
  sed -n 's/^\[rank0\]: //p' "$out" | grep '^ms_per_step='
}

field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }

configs=("mlp 16" "mlp 128" "cnn 128")
declare -A pt_default pt_best dt dt_gloo

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)   $(bench/machine.sh)   $(getconf _NPROCESSORS_ONLN) cores   PyTorch $($python -c 'import torch; print(torch.__version__)') vs TorchSharp 0.107 / LibTorch 2.10   $NPROC ranks"
for rep in $(seq 1 "$REPS"); do
  for config in "${configs[@]}"; do
    read -r model batch <<<"$config"
    steps=$STEPS
    [ "$model" = cnn ] && steps=$((STEPS / 3 > 5 ? STEPS / 3 : 5))
    args=(--model "$model" --batch "$batch" --warmup 5 --steps "$steps" --blocks 3 --threads 1)
    # Alternate which side goes first so drifting machine load does not favour one.
    if ((rep % 2)); then
      a=$(pytorch "${args[@]}" | field samples_per_s); b=$(pytorch "${args[@]}" --bucket-view | field samples_per_s)
      g=$(disttrain gloo "${args[@]}" | field samples_per_s); c=$(disttrain shm "${args[@]}" | field samples_per_s)
    else
      c=$(disttrain shm "${args[@]}" | field samples_per_s); g=$(disttrain gloo "${args[@]}" | field samples_per_s)
      b=$(pytorch "${args[@]}" --bucket-view | field samples_per_s); a=$(pytorch "${args[@]}" | field samples_per_s)
    fi
    pt_default[$config]+="$a "; pt_best[$config]+="$b "; dt[$config]+="$c "; dt_gloo[$config]+="$g "
    printf '  rep %d  %-8s  pytorch default %8.1f   pytorch bucket-view %8.1f   disttrain over gloo %8.1f   disttrain %8.1f samples/s\n' \
      "$rep" "$config" "$a" "$b" "$g" "$c" >&2
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
ratio() { awk -v d="$1" -v p="$2" 'BEGIN {printf "%.2fx", d / p}'; }

echo
echo "| model | batch/rank | PyTorch default | PyTorch bucket-view | DistTrain over Gloo | DistTrain | vs default | vs bucket-view | over Gloo vs default | over Gloo vs bucket-view |"
echo "|-------|-----------:|----------------:|--------------------:|--------------------:|----------:|-----------:|---------------:|---------------------:|-------------------------:|"
for config in "${configs[@]}"; do
  read -r model batch <<<"$config"
  a=$(median <<<"${pt_default[$config]}"); b=$(median <<<"${pt_best[$config]}"); c=$(median <<<"${dt[$config]}"); g=$(median <<<"${dt_gloo[$config]}")
  printf '| %s | %d | %.0f | %.0f | %.0f | %.0f | %s | %s | %s | %s |\n' "${model^^}" "$batch" "$a" "$b" "$g" "$c" \
    "$(ratio "$c" "$a")" "$(ratio "$c" "$b")" "$(ratio "$g" "$a")" "$(ratio "$g" "$b")"
done
echo "(global samples/s over $NPROC ranks, median of $REPS alternating runs; ratio = DistTrain / PyTorch, above 1: DistTrain is faster;"
echo " DistTrain: its defaults, sums through shared memory; over Gloo: DISTTRAIN_LOCAL_ALLREDUCE=0, PyTorch's transport)"

# Where a step's time goes: compute alone (the same step without DDP, both ranks busy), communication
# alone (an all-reduce of a gradient-sized tensor) and the DDP step; compute + communication - DDP step
# is the time the overlap hid.
echo
echo "Step-time breakdown, ms per step (median of 3 blocks):"
echo "| model | batch/rank | side | compute alone | communication alone | DDP step | hidden by overlap |"
echo "|-------|-----------:|------|--------------:|--------------------:|---------:|------------------:|"
for config in "${configs[@]}"; do
  read -r model batch <<<"$config"
  steps=$STEPS
  [ "$model" = cnn ] && steps=$((STEPS / 3 > 5 ? STEPS / 3 : 5))
  args=(--model "$model" --batch "$batch" --warmup 5 --steps "$steps" --blocks 3 --threads 1)
  for side in pytorch pytorch-bv disttrain-gloo disttrain; do
    case $side in
      pytorch) run=pytorch; extra=() ;;
      pytorch-bv) run=pytorch; extra=(--bucket-view) ;;
      disttrain-gloo) run="disttrain gloo"; extra=() ;;
      disttrain) run="disttrain shm"; extra=() ;;
    esac
    comp=$($run "${args[@]}" --mode compute | field ms_per_step)
    comm=$($run "${args[@]}" --mode comm | field ms_per_step)
    step=$($run "${args[@]}" --mode ddp "${extra[@]}" | field ms_per_step)
    printf '| %s | %d | %s | %.2f | %.2f | %.2f | %.2f |\n' "${model^^}" "$batch" "$side" "$comp" "$comm" "$step" \
      "$(awk -v a="$comp" -v b="$comm" -v c="$step" 'BEGIN {print a + b - c}')"
  done
done

# Scaling: DistTrain's 2-rank DDP against one process training alone at the same per-rank batch (1 thread
# each: the 2 ranks use both cores), global samples/s; the breakdown above shows what the overlap hid.
echo
echo "Scaling, DistTrain: $NPROC-rank DDP against 1 process at the same per-rank batch, global samples/s (median of $REPS):"
echo "| model | batch/rank | 1 process | $NPROC ranks (DDP) | speed-up |"
echo "|-------|-----------:|----------:|-----------------:|---------:|"
for config in "mlp 128" "cnn 128"; do
  read -r model batch <<<"$config"
  steps=$STEPS
  [ "$model" = cnn ] && steps=$((STEPS / 3 > 5 ? STEPS / 3 : 5))
  args=(--model "$model" --batch "$batch" --warmup 5 --steps "$steps" --blocks 3 --threads 1)
  alone="" together=""
  for rep in $(seq 1 "$REPS"); do
    alone+="$(NPROC=1 disttrain shm "${args[@]}" --mode compute | field samples_per_s) "
    together+="$(disttrain shm "${args[@]}" | field samples_per_s) "
  done
  a=$(median <<<"$alone"); t=$(median <<<"$together")
  printf '| %s | %d | %.0f | %.0f | %s |\n' "${model^^}" "$batch" "$a" "$t" "$(ratio "$t" "$a")"
done
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
