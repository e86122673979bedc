#!/usr/bin/env bash
# The README's main command: installs what is missing and builds (scripts/setup.sh), then trains the MNIST
# MLP example in Release on 8,000 real MNIST images and prints its accuracy on the 2,000 held out.
# Extra arguments go to the example, e.g. scripts/demo.sh --epochs 2 --data /path/to/mnist
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
dotnet build examples/MnistMlp -c Release -nologo -clp:ErrorsOnly >/dev/null
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 dotnet examples/MnistMlp/bin/Release/net10.0/MnistMlp.dll "$@"
