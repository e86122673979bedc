#!/usr/bin/env bash
# ResNet-18 on 32×32 CIFAR-format data, 2-rank data parallel: DistTrain (`disttrain run` + examples/ResNetCifar:
# TorchSharp's TorchVision resnet18, DistTrain's DDP) against torchrun + PyTorch DDP (Debian's torchvision resnet18,
# PyTorch's defaults: gloo, bucket_cap 25 MiB) on the same generated data, the same loop (a TensorDataset with a
# distributed sampler and a DataLoader, SGD momentum 0.9 + weight decay 5e-4, cross-entropy, cosine schedule), the
# same global batch and 1 intra-op thread + 1 BLAS thread per rank, no augmentation on either side (the example's
# --no-augment). Each rep runs both sides, alternating which goes first; the figure is the global images/s of the
# last epoch (the first warms up), median over the reps.
#   DistTrain: the example prints rank 0's samples/s over its epoch loop; the ranks step in lock-step, so global = 2 × that.
#   PyTorch:   bench/resnet/resnet_pytorch.py prints images of every rank / the slowest rank's epoch time.
#
#   bench/resnet/run.sh                      # REPS=3 IMAGES=2048 BATCH=64 EPOCHS=2
#   REPS=1 IMAGES=256 bench/resnet/run.sh    # a quick check that both sides run
set -euo pipefail
cd "$(dirname "$0")/../.."

REPS=${REPS:-3}
IMAGES=${IMAGES:-2048}
BATCH=${BATCH:-64}
EPOCHS=${EPOCHS:-2}
NPROC=2
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
python=/usr/bin/python3
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

dotnet build examples/ResNetCifar -c Release -nologo -clp:ErrorsOnly >/dev/null
scripts/disttrain --help >/dev/null   # builds the launcher once
example=examples/ResNetCifar/bin/Release/net10.0/ResNetCifar.dll
data="$logs/cifar"
dotnet "$example" generate "$data" --train-files 1 --per-file "$IMAGES" --test 64 >/dev/null

pytorch() {
  $python -m torch.distributed.run --standalone --nproc_per_node "$NPROC" --redirects 1 --tee 1 \
    --log_dir "$logs/torchrun.$RANDOM$RANDOM" bench/resnet/resnet_pytorch.py \
    --data-dir "$data" --epochs "$EPOCHS" --batch "$BATCH" --threads 1 2>/dev/null |
    sed -n "s/^\[default0\]:epoch=$EPOCHS global_images_per_s=\([0-9.]*\).*/\1/p"
}

disttrain() {
  local out="$logs/dt.$RANDOM$RANDOM"
  if ! scripts/disttrain run --standalone --nproc-per-node "$NPROC" -- dotnet "$example" \
      --data-dir "$data" --epochs "$EPOCHS" --batch-size "$BATCH" --threads 1 --no-augment >"$out" 2>&1; then
    cat "$out" >&2
    return 1
  fi
  local rate
  rate=$(sed -n "s/^\[rank0\]: epoch $EPOCHS  loss [0-9.]*  lr [0-9.e+-]*  *\([0-9.]*\) samples\/s.*/\1/p" "$out")
  if [ -z "$rate" ]; then
    echo "no 'epoch $EPOCHS ... samples/s' line from rank 0 in DistTrain's output (has the example's epoch line changed?):" >&2
    cat "$out" >&2
    return 1
  fi
  awk -v r="$rate" -v n="$NPROC" 'BEGIN {print r * n}'
}

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)   $(bench/machine.sh)   $(getconf _NPROCESSORS_ONLN) cores   PyTorch $($python -c 'import torch, torchvision; print(torch.__version__, "/ torchvision", torchvision.__version__)') vs TorchSharp 0.107 / LibTorch 2.10   $NPROC ranks   $IMAGES images 32x32, global batch $BATCH, $EPOCHS epochs"
pt="" dt=""
for rep in $(seq 1 "$REPS"); do
  if ((rep % 2)); then a=$(pytorch); b=$(disttrain); else b=$(disttrain); a=$(pytorch); fi
  pt+="$a "; dt+="$b "
  printf '  rep %d  pytorch %8.1f   disttrain %8.1f images/s\n' "$rep" "$a" "$b" >&2
done
a=$(median <<<"$pt"); b=$(median <<<"$dt")
echo
echo "| model | global batch | torchrun + PyTorch DDP | disttrain run + DistTrain DDP | DistTrain / PyTorch |"
echo "|-------|-------------:|-----------------------:|------------------------------:|--------------------:|"
printf '| ResNet-18 (32×32) | %d | %.1f | %.1f | %s |\n' "$BATCH" "$a" "$b" "$(awk -v d="$b" -v p="$a" 'BEGIN {printf "%.2fx", d / p}')"
echo "(global images/s of epoch $EPOCHS, median of $REPS alternating reps; above 1: DistTrain is faster)"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
