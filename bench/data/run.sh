#!/usr/bin/env bash
# Data-path benchmark: the share of a training step spent waiting for data, with batches built on the
# training thread (workers 0: read, convert, augment and collate inside the step) and prefetched by
# PrefetchingLoader's background threads (workers 2), on a small CNN over CIFAR-sized images, one process,
# one intra-op thread. The issue's goal (data wait < 5 % of a step) is for a ResNet step, which is longer than
# this CNN's: run it there too (--steps, --batch; WORKERS=0,2,4).
#
#   bench/data/run.sh                 # STEPS=40 BATCH=64 WORKERS=0,2
set -euo pipefail
cd "$(dirname "$0")/../.."
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
dotnet build bench/DistTrain.Bench.Data -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet bench/DistTrain.Bench.Data/bin/Release/net10.0/DistTrain.Bench.Data.dll --workers "${WORKERS:-0,2}" --steps "${STEPS:-40}" --batch "${BATCH:-64}"
