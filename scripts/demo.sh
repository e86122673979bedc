#!/usr/bin/env bash
# The README's main command: installs what is missing and builds (scripts/setup.sh), then
# trains the MNIST MLP example on 2 local workers under `disttrain run --standalone` (coordinator embedded
# on a free loopback port) and prints the held-out accuracy. Each rank's output is prefixed [rankN]; a
# terminal also shows one live progress line. Extra arguments go to the example, e.g.
#   scripts/demo.sh --epochs 2
# Same thing by hand:
#   scripts/disttrain run --standalone --nproc-per-node 2 -- examples/MnistMlp      # a project: built once
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
dotnet build examples/MnistMlp -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet build launcher/DistTrain.Launcher -c Release -nologo -clp:ErrorsOnly >/dev/null
# disttrain gives each worker OMP_NUM_THREADS = cores / workers; keep BLAS to one thread per worker too.
OPENBLAS_NUM_THREADS=1 scripts/disttrain run --standalone --nproc-per-node 2 -- \
  examples/MnistMlp/bin/Release/net10.0/MnistMlp.dll "$@"
