#!/usr/bin/env bash
# Telemetry's overhead (issue 14 item 7): step time of the MNIST MLP and CNN examples trained by 2 local
# ranks under `disttrain run`, with the worker's telemetry on (DISTTRAIN_TELEMETRY=1: step measurements,
# reports to the coordinator every second) and off (DISTTRAIN_TELEMETRY=0), runs interleaved (on/off,
# then off/on) so both see the same load. A run's step time is the median over its measured epochs of rank 0's
# per-rank batch / samples per second; each figure is the median over the runs. Measured: the epochs that start
# after WARMUP_SECONDS of training (never the first). The report path's JIT takes about the first 30 s of reports
# (bench/coordinator/telemetry-reports-*.txt), so a warm-up shorter than that measures it along with the steady state.
#   [MODELS="MnistMlp MnistCnn"] bench/telemetry/run.sh [REPEATS] [EPOCHS] [WARMUP_SECONDS]      (default 5, 4 and 0)
set -euo pipefail
cd "$(dirname "$0")/../.."
repeats=${1:-5}
epochs=${2:-4}
warmup=${3:-0}
batch=64
ranks=2
train_count=8000   # the MNIST examples' default training samples per epoch

for project in launcher/DistTrain.Launcher examples/MnistMlp examples/MnistCnn; do
  dotnet build "$project" -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
done
disttrain=(dotnet launcher/DistTrain.Launcher/bin/Release/net10.0/disttrain.dll run --standalone --nproc-per-node "$ranks" --progress off)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# One run; prints its step time in ms (median of the epochs after the first).
step_ms() {
  local model=$1 telemetry=$2 out="$tmp/out"
  DISTTRAIN_TELEMETRY=$telemetry OMP_NUM_THREADS=1 "${disttrain[@]}" -- "examples/$model/bin/Release/net10.0/$model.dll" --epochs "$epochs" \
    >"$out" 2>&1 || { cat "$out" >&2; echo "failed: $model with DISTTRAIN_TELEMETRY=$telemetry" >&2; exit 1; }
  # rank 0's rate is per rank; an epoch lasts (its samples) / rate seconds.
  local figures
  figures=$(grep -o '[0-9]* samples/s' "$out" | awk '{print $1}' \
    | awk -v per_rank=$((batch / ranks)) -v epoch_samples=$((train_count / ranks)) -v warmup="$warmup" \
        'NR > 1 && elapsed >= warmup {printf "%.4f\n", 1000 * per_rank / $1} {elapsed += epoch_samples / $1}')
  [[ -n $figures ]] || { echo "no epoch of $model started after ${warmup} s of training: give more epochs" >&2; exit 1; }
  median <<<"$figures"
}

echo "telemetry on vs off: 2 ranks, batch $batch ($((batch / ranks)) per rank), $epochs epochs per run, measured after ${warmup} s of training (never the first), $repeats runs each, $(nproc) cores, $(bench/machine.sh), load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-9s %12s %12s %9s\n' model "off ms/step" "on ms/step" "on-off %"
for model in ${MODELS:-MnistMlp MnistCnn}; do
  off=() on=()
  for i in $(seq 1 "$repeats"); do
    if ((i % 2)); then on+=("$(step_ms "$model" 1)"); off+=("$(step_ms "$model" 0)")
    else off+=("$(step_ms "$model" 0)"); on+=("$(step_ms "$model" 1)"); fi
  done
  m_off=$(printf '%s\n' "${off[@]}" | median)
  m_on=$(printf '%s\n' "${on[@]}" | median)
  printf '%-9s %12.3f %12.3f %+9.2f\n' "$model" "$m_off" "$m_on" "$(awk -v a="$m_on" -v b="$m_off" 'BEGIN {print 100 * (a - b) / b}')"
  echo "  runs off: ${off[*]}"
  echo "  runs on:  ${on[*]}"
done
