#!/usr/bin/env bash
# Where a 2-rank ResNet-18 run's CPU goes, on each side of bench/resnet/run.sh: each side runs once under
# `perf record -a` (every CPU, 999 Hz), then the samples are broken down by shared library and by symbol.
# Same data, loop, batch and threads as run.sh; PyTorch first, then DistTrain.
#
#   bench/resnet/profile.sh                 # IMAGES=2048 BATCH=64 EPOCHS=2; needs perf (linux-perf)
set -euo pipefail
cd "$(dirname "$0")/../.."

IMAGES=${IMAGES:-2048}
BATCH=${BATCH:-64}
EPOCHS=${EPOCHS:-2}
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
python=/usr/bin/python3
command -v perf >/dev/null || { echo "perf is not installed: apt-get install linux-perf" >&2; exit 1; }
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

dotnet build examples/ResNetCifar -c Release -nologo -clp:ErrorsOnly >/dev/null
scripts/disttrain --help >/dev/null
example=examples/ResNetCifar/bin/Release/net10.0/ResNetCifar.dll
data="$logs/cifar"
dotnet "$example" generate "$data" --train-files 1 --per-file "$IMAGES" --test 64 >/dev/null

# Records "$@" (one side's whole run) on every CPU; prints its result line and the breakdown.
profile() {
  local name=$1
  shift
  perf record -a -F 999 -o "$logs/$name.data" -- "$@" >"$logs/$name.log" 2>&1 || { cat "$logs/$name.log" >&2; return 1; }
  echo "== $name: $(grep -E 'global_images_per_s|samples/s' "$logs/$name.log" | tail -1)"
  echo "-- by library (all CPUs, whole run: start-up and both epochs)"
  perf report -i "$logs/$name.data" --no-children --sort dso -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | sed -n 1,12p
  echo "-- top symbols"
  perf report -i "$logs/$name.data" --no-children --sort dso,sym -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | sed -n 1,25p | cut -c1-200
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)   $(bench/machine.sh)   $(getconf _NPROCESSORS_ONLN) cores   $IMAGES images, global batch $BATCH, $EPOCHS epochs, 2 ranks"
# --redirects/--tee as run.sh: this torchrun fails without them (its default redirects are None).
profile pytorch $python -m torch.distributed.run --standalone --nproc_per_node 2 --redirects 1 --tee 1 --log_dir "$logs/torchrun" bench/resnet/resnet_pytorch.py \
  --data-dir "$data" --epochs "$EPOCHS" --batch "$BATCH" --threads 1
profile disttrain scripts/disttrain run --standalone --nproc-per-node 2 -- dotnet "$example" \
  --data-dir "$data" --epochs "$EPOCHS" --batch-size "$BATCH" --threads 1 --no-augment
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
