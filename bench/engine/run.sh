#!/usr/bin/env bash
# Engine benchmark: single-process training throughput, a TorchSharp training step under DistTrain's worker
# defaults (TorchSharp 0.107 on LibTorch 2.10 with MKL; DistTrain sets the threads and tunes glibc malloc)
# against PyTorch eager (Debian's python3-torch 1.13 with OpenBLAS) on the same machine, with the same thread
# settings (1 intra-op thread, MKL/OpenMP/OpenBLAS 1 thread).
# Runs the two alternately, REPS times per configuration, each run warming up (at least 1 s, so that .NET's
# tiered JIT has finished) and then timing blocks of steps,
# and prints the median ms/step of each side and the ratio PyTorch / DistTrain (> 1: DistTrain is faster).
#
#   bench/engine/run.sh                  # REPS=5 STEPS=50 by default; CNN batch 128 uses fewer steps
#   TUNED_MALLOC=1 bench/engine/run.sh   # both sides with DistTrain's malloc tuning (like for like: the binding alone)
#   DISTTRAIN_MALLOC_TUNING=0 bench/engine/run.sh   # DistTrain without its malloc tuning
#   SET_TO_NONE=1 bench/engine/run.sh    # PyTorch's zero_grad sets gradients to none too
#
# By default each side runs as a user gets it: DistTrain tunes glibc malloc (DistTrain.Runtime.MallocTuning,
# which DistributedContext applies in every worker) and TorchSharp's optimizer zero_grad zeroes gradients in
# place, as PyTorch 1.13's does. TUNED_MALLOC=1 gives PyTorch the same malloc tuning, leaving the engines
# (LibTorch 2.10 + MKL against 1.13 + OpenBLAS, and the bindings) as the only difference.
set -euo pipefail
cd "$(dirname "$0")/../.."

REPS=${REPS:-5}
STEPS=${STEPS:-50}
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
allocator="each side's default malloc (DistTrain tunes glibc's; DISTTRAIN_MALLOC_TUNING=${DISTTRAIN_MALLOC_TUNING:-unset})"
if [ "${TUNED_MALLOC:-0}" = 1 ]; then
  # DistTrain's tuning given to both sides: blocks up to 32 MiB from the heap, freed memory kept.
  export MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=1073741824
  allocator="glibc malloc tuned the same for both sides (MALLOC_MMAP_THRESHOLD_=32M MALLOC_TRIM_THRESHOLD_=1G)"
fi
pytorch_flags=()
[ "${SET_TO_NONE:-0}" = 1 ] && pytorch_flags=(--set-to-none)
python=/usr/bin/python3
[ -x "$python" ] || python=python3

dotnet build bench/DistTrain.Bench.Engine -c Release -nologo -clp:ErrorsOnly >/dev/null
bench_dll=bench/DistTrain.Bench.Engine/bin/Release/net10.0/DistTrain.Bench.Engine.dll

configs=("mlp 8" "mlp 128" "cnn 8" "cnn 128")
declare -A torch_ms dt_ms

value() { sed -n 's/^ms_per_step=//p'; }

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)   $(bench/machine.sh)   $(getconf _NPROCESSORS_ONLN) cores   PyTorch $($python -c 'import torch; print(torch.__version__)') vs TorchSharp 0.107 / LibTorch 2.10   $allocator   PyTorch zero_grad: $([ "${SET_TO_NONE:-0}" = 1 ] && echo "set to none" || echo "in place (its default)")"
for rep in $(seq 1 "$REPS"); do
  for config in "${configs[@]}"; do
    read -r model batch <<<"$config"
    steps=$STEPS
    [ "$model" = cnn ] && [ "$batch" -ge 128 ] && steps=$((STEPS / 5 > 5 ? STEPS / 5 : 5))
    args=(--model "$model" --batch "$batch" --warmup 5 --steps "$steps" --blocks 3 --threads 1)
    # Alternate which side goes first so drifting machine load does not favour one.
    if ((rep % 2)); then
      p=$($python bench/engine/pytorch_engine.py "${args[@]}" "${pytorch_flags[@]}" | value)
      d=$(dotnet "$bench_dll" "${args[@]}" | value)
    else
      d=$(dotnet "$bench_dll" "${args[@]}" | value)
      p=$($python bench/engine/pytorch_engine.py "${args[@]}" "${pytorch_flags[@]}" | value)
    fi
    torch_ms[$config]+="$p "
    dt_ms[$config]+="$d "
    printf '  rep %d  %-8s  pytorch %8.3f ms   disttrain %8.3f ms\n' "$rep" "$config" "$p" "$d" >&2
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
best() { tr ' ' '\n' | grep -v '^$' | sort -g | head -n 1; }
ratio() { awk -v p="$1" -v d="$2" 'BEGIN {printf "%.2fx", p / d}'; }

# Median: the typical run. Best: the least disturbed run of each side; on a busy machine noise only adds time.
echo
echo "| model | batch | PyTorch median | DistTrain median | ratio (median) | PyTorch best | DistTrain best | ratio (best) |"
echo "|-------|------:|---------------:|-----------------:|---------------:|-------------:|---------------:|-------------:|"
for config in "${configs[@]}"; do
  read -r model batch <<<"$config"
  p=$(median <<<"${torch_ms[$config]}"); d=$(median <<<"${dt_ms[$config]}")
  pb=$(best <<<"${torch_ms[$config]}"); db=$(best <<<"${dt_ms[$config]}")
  printf '| %s | %d | %.3f ms | %.3f ms | %s | %.3f ms | %.3f ms | %s |\n' "${model^^}" "$batch" "$p" "$d" "$(ratio "$p" "$d")" "$pb" "$db" "$(ratio "$pb" "$db")"
done
echo "(ratio = PyTorch ms / DistTrain ms; above 1 means DistTrain trains faster)"
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)   (median of $REPS alternating runs; 1 intra-op thread, OMP/OpenBLAS 1 thread)"

# Where a small step's time goes: mean ms per phase, and the overhead probe (the MLP's operations with
# 1/30 of its arithmetic), on both sides.
echo
echo "Phases of one step, MLP batch 8 and the overhead probe (tiny MLP, batch 8), mean ms:"
for model in mlp tiny; do
  args=(--model "$model" --batch 8 --warmup 20 --steps 200 --blocks 3 --threads 1 --breakdown)
  echo "  $model  PyTorch:   $($python bench/engine/pytorch_engine.py "${args[@]}" "${pytorch_flags[@]}" | tr -s ' \n' ' ')"
  echo "  $model  DistTrain: $(dotnet "$bench_dll" "${args[@]}" | tr -s ' \n' ' ')"
done
