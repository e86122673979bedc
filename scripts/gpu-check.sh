#!/usr/bin/env bash
# The prepared GPU check of DistTrain's NCCL backend (tools/DistTrain.GpuCheck, see its README.md).
#
#   scripts/gpu-check.sh               here (no GPU, .NET SDK): publishes the tool self-contained and
#                                      trimmed into .gpu-check/app (ignored through .git/info/exclude)
#                                      and prints the one device `run` call to make.
#   scripts/gpu-check.sh --on-device   on the GPU machine (no .NET): finds libnccl.so.2, runs the tool,
#                                      then PyTorch's NCCL on the same card, and writes everything to
#                                      $OUT/gpu-check.txt. Well under 5 minutes.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 2
STAGE=.gpu-check
APP="$STAGE/app"
TOOL=tools/DistTrain.GpuCheck
LARGE_MIB="${GPU_CHECK_LARGE_MIB:-256}"
ITERATIONS="${GPU_CHECK_ITERATIONS:-20}"
MAX_CARRY_MIB=40

publish() {
  set -e
  command -v dotnet >/dev/null || { echo "gpu-check: dotnet is not on PATH (run scripts/setup.sh)" >&2; exit 2; }
  local exclude
  exclude="$(git rev-parse --git-path info/exclude 2>/dev/null || echo .git/info/exclude)"
  mkdir -p "$(dirname "$exclude")"
  grep -qxF "/$STAGE/" "$exclude" 2>/dev/null || echo "/$STAGE/" >>"$exclude"

  rm -rf "$APP"
  # Its own artifacts path: the publish (linux-x64, self-contained) never touches the obj/ and bin/
  # folders of the projects that other builds use. -m:1 keeps it light on a small machine.
  dotnet publish "$TOOL/DistTrain.GpuCheck.csproj" -c Release -r linux-x64 --self-contained \
    -p:PublishTrimmed=true --artifacts-path "$STAGE/build" -o "$APP" -m:1 -nologo -v:q
  set +e

  local kib mib
  kib=$(du -sk "$APP" | cut -f1)
  mib=$(( (kib + 1023) / 1024 ))
  echo "gpu-check: published $APP: ${mib} MiB in $(find "$APP" -type f | wc -l) files"
  if (( mib >= MAX_CARRY_MIB )); then
    echo "gpu-check: $APP is ${mib} MiB, over the ${MAX_CARRY_MIB} MiB meant for carrying" >&2
    exit 1
  fi
  echo "gpu-check: the no-GPU path here (expect exit 3):"
  "$APP/DistTrain.GpuCheck"
  echo "gpu-check: exit $?"

  # What travels to the device besides the carried folder: tracked and untracked-not-ignored files.
  local tree_kib
  tree_kib=$( { git ls-files -z --cached --others --exclude-standard; } | xargs -0 du -sk 2>/dev/null | awk '{s+=$1} END {print s+0}')
  echo "gpu-check: working tree that travels: $(( tree_kib / 1024 )) MiB + ${mib} MiB carried (limit 64 MiB together)"
  cat <<EOF

Make this one device call (15 minutes of device time per task; this takes well under 5):

  run(command="bash scripts/gpu-check.sh --on-device", carry=["$STAGE/app"], timeout_s=420)

Then read $OUT_HINT/gpu-check.txt (the files_at folder of the reply), give_back, and record what ran
(see tools/DistTrain.GpuCheck/README.md, "What to record").
EOF
}

# The venv's libnccl.so.2 (nvidia-nccl-cu13), else python3's nvidia package folders, else the system's.
find_nccl() {
  local py dirs d f
  for f in ${DISTTRAIN_NCCL_LIBRARY:-}; do [[ -f "$f" ]] && { echo "$f"; return 0; }; done
  f=$(find /opt/torch/.venv -name 'libnccl.so.2*' -path '*nvidia*' \( -type f -o -type l \) 2>/dev/null | sort | head -n1)
  [[ -n "$f" ]] && { echo "$f"; return 0; }
  for py in /opt/torch/.venv/bin/python python3; do
    command -v "$py" >/dev/null 2>&1 || continue
    dirs=$("$py" - 2>/dev/null <<'PY'
import importlib.util, os
spec = importlib.util.find_spec("nvidia")
for p in (spec.submodule_search_locations or []) if spec else []:
    print(p)
PY
)
    for d in $dirs; do
      f=$(find "$d" -name 'libnccl.so.2*' \( -type f -o -type l \) 2>/dev/null | sort | head -n1)
      [[ -n "$f" ]] && { echo "$f"; return 0; }
    done
  done
  f=$(ldconfig -p 2>/dev/null | awk '/libnccl\.so\.2 /{print $NF; exit}')
  [[ -n "$f" ]] && { echo "$f"; return 0; }
  return 1
}

on_device() {
  local out="${OUT:-$ROOT/$STAGE/out}"
  mkdir -p "$out"
  local report="$out/gpu-check.txt"
  local py=/opt/torch/.venv/bin/python
  [[ -x "$py" ]] || py=python3
  {
    echo "== gpu-check $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(hostname)"
    echo "== git: $(git rev-parse --short HEAD 2>/dev/null || echo '?') $(git status --porcelain 2>/dev/null | wc -l) changed paths"
    uname -a
    echo "== nvidia-smi -L"
    nvidia-smi -L 2>&1
    nvidia-smi --query-gpu=name,driver_version,memory.total,memory.used --format=csv 2>&1

    local nccl
    if nccl=$(find_nccl); then
      export DISTTRAIN_NCCL_LIBRARY="$nccl"
      echo "== libnccl: $nccl ($(readlink -f "$nccl"))"
    else
      echo "== libnccl: NOT FOUND under /opt/torch/.venv, python3's nvidia packages or ldconfig"
    fi
    export NCCL_DEBUG="${NCCL_DEBUG:-WARN}"

    if [[ ! -x "$APP/DistTrain.GpuCheck" ]]; then
      chmod +x "$APP/DistTrain.GpuCheck" "$APP"/*.so 2>/dev/null || true
    fi
    if [[ ! -f "$APP/DistTrain.GpuCheck" ]]; then
      echo "== $APP/DistTrain.GpuCheck is missing: run scripts/gpu-check.sh here first and carry $APP"
      echo "gpu-check: tool_rc=missing"
    else
      echo "== missing libraries of the tool (ldd):"
      ldd "$APP/DistTrain.GpuCheck" "$APP"/libcoreclr.so 2>&1 | grep 'not found' || echo "(none)"

      echo "== availability without DISTTRAIN_NCCL_LIBRARY (what a user without NCCL on the loader path sees)"
      env -u DISTTRAIN_NCCL_LIBRARY timeout 30 "$APP/DistTrain.GpuCheck" --probe 2>&1
      echo "probe_without_override_rc=$?"

      echo "== DistTrain.GpuCheck --large-mib $LARGE_MIB --iterations $ITERATIONS"
      local t0=$SECONDS
      timeout 200 "$APP/DistTrain.GpuCheck" --large-mib "$LARGE_MIB" --iterations "$ITERATIONS" 2>&1
      local rc=$?
      echo "gpu-check: tool_rc=$rc tool_seconds=$((SECONDS - t0))"
    fi

    echo "== PyTorch baseline (torch.distributed NCCL, world size 1, same card)"
    local t1=$SECONDS
    PYTHONUNBUFFERED=1 timeout 150 "$py" "$TOOL/torch_baseline.py" --large-mib "$LARGE_MIB" --iterations "$ITERATIONS" 2>&1
    echo "gpu-check: torch_rc=$? torch_seconds=$((SECONDS - t1))"

    echo "== TorchSharp on CUDA"
    local tv
    tv=$("$py" -c "import torch; print(torch.__version__)" 2>&1 | tail -n1)
    echo "python_torch_version=$tv"
    case "$tv" in
      2.10.*) echo "torchsharp_cuda=not attempted in this script, but possible: this PyTorch's LibTorch is 2.10 (TorchSharp 0.107 needs LibTorch 2.10)";;
      *) echo "torchsharp_cuda=not attempted: PyTorch here is $tv, TorchSharp 0.107 needs LibTorch 2.10.x (and LibTorch cannot be carried)";;
    esac
  } 2>&1 | tee "$report"

  echo "== comparison (median ms per op, host-timed until complete)" | tee -a "$report"
  for name in large_all_reduce large_all_gather; do
    local ours theirs
    ours=$(sed -n "s/^$name\.median_ms=//p" "$report" | head -n1)
    theirs=$(sed -n "s/^torch\.$name\.median_ms=//p" "$report" | head -n1)
    if [[ -n "$ours" && -n "$theirs" ]]; then
      awk -v n="$name" -v a="$ours" -v b="$theirs" 'BEGIN { printf "%s: DistTrain %s ms, PyTorch %s ms, PyTorch/DistTrain %.2fx\n", n, a, b, (a > 0 ? b / a : 0) }'
    else
      echo "$name: DistTrain ${ours:-?} ms, PyTorch ${theirs:-?} ms"
    fi
  done | tee -a "$report"
  local tool_rc
  tool_rc=$(sed -n 's/^gpu-check: tool_rc=\([0-9]*\).*/\1/p' "$report" | tail -n1)
  echo "gpu-check: wrote $report"
  exit "${tool_rc:-2}"
}

case "${1:-}" in
  --on-device) on_device ;;
  ""|--publish) OUT_HINT='<files_at>'; publish ;;
  -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) echo "usage: scripts/gpu-check.sh [--on-device]" >&2; exit 2 ;;
esac
