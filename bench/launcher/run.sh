#!/usr/bin/env bash
# Time from `disttrain run` to the first training step for 2 local workers, against torchrun with
# python3-torch on the same machine, runs alternating so both see the same load. Also the launchers
# alone (2 workers that run /bin/true). Prints medians and the ratio torchrun / disttrain.
#   bench/launcher/run.sh [REPEATS]      (default 7)
set -euo pipefail
cd "$(dirname "$0")/../.."
repeats=${1:-7}

dotnet build launcher/DistTrain.Launcher -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
dotnet build bench/launcher/FirstStepWorker -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
disttrain=(dotnet launcher/DistTrain.Launcher/bin/Release/net10.0/disttrain.dll run --standalone --nproc-per-node 2 --progress off)
worker=bench/launcher/FirstStepWorker/bin/Release/net10.0/FirstStepWorker.dll
# Debian's torchrun on Python 3.11 needs --redirects 1 --tee 1 --log_dir (its default crashes).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
torchrun=(/usr/bin/python3 -m torch.distributed.run --standalone --nproc_per_node 2 --redirects 1 --tee 1)

now_ms() { date +%s%3N; }

# Runs a launcher command; prints "<ms to the last rank's first step> <ms to the launcher's exit>".
measure() {
  local out="$tmp/out" start end last
  start=$(now_ms)
  "$@" >"$out" 2>&1 || { cat "$out" >&2; echo "failed: $*" >&2; exit 1; }
  end=$(now_ms)
  last=$(grep -o 'unix_ms=[0-9]*' "$out" | cut -d= -f2 | sort -n | tail -1 || true)
  if [ -n "$last" ]; then echo "$((last - start)) $((end - start))"; else echo "- $((end - start))"; fi
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

declare -a d_step d_exit t_step t_exit d_true t_true
measure "${disttrain[@]}" -- "$worker" >/dev/null   # warm the disk cache for both once
measure "${torchrun[@]}" --log_dir "$tmp/warm" bench/launcher/first_step.py >/dev/null
for i in $(seq 1 "$repeats"); do
  read -r s e < <(measure "${disttrain[@]}" -- "$worker"); d_step+=("$s"); d_exit+=("$e")
  read -r s e < <(measure "${torchrun[@]}" --log_dir "$tmp/logs$i" bench/launcher/first_step.py); t_step+=("$s"); t_exit+=("$e")
  read -r _ e < <(measure "${disttrain[@]}" -- /bin/true); d_true+=("$e")
  read -r _ e < <(measure "${torchrun[@]}" --log_dir "$tmp/true$i" --no_python /bin/true); t_true+=("$e")
  echo "run $i: disttrain first step ${d_step[-1]} ms (exit ${d_exit[-1]}), torchrun first step ${t_step[-1]} ms (exit ${t_exit[-1]}); launchers alone: disttrain ${d_true[-1]} ms, torchrun ${t_true[-1]} ms"
done

ds=$(printf '%s\n' "${d_step[@]}" | median); ts=$(printf '%s\n' "${t_step[@]}" | median)
de=$(printf '%s\n' "${d_exit[@]}" | median); te=$(printf '%s\n' "${t_exit[@]}" | median)
dt=$(printf '%s\n' "${d_true[@]}" | median); tt=$(printf '%s\n' "${t_true[@]}" | median)
echo
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), torch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'), dotnet $(dotnet --version)"
echo "median of $repeats, 2 local workers:"
echo "  run -> last rank's first training step: disttrain ${ds} ms, torchrun ${ts} ms, ratio torchrun/disttrain $(awk "BEGIN {printf \"%.2f\", $ts/$ds}")"
echo "  run -> launcher exit:                   disttrain ${de} ms, torchrun ${te} ms, ratio $(awk "BEGIN {printf \"%.2f\", $te/$de}")"
echo "  launcher alone (/bin/true workers):     disttrain ${dt} ms, torchrun ${tt} ms, ratio $(awk "BEGIN {printf \"%.2f\", $tt/$dt}")"
