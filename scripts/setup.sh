#!/usr/bin/env bash
# Installs what DistTrain needs on Debian 12 and builds the solution. Safe to run again: it installs
# only what is missing. Needs root (or sudo) for apt-get. TorchSharp and LibTorch come from NuGet
# during the build (~700 MB into the NuGet cache; every build output hard-links them).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  libgloo-dev cmake g++ make                      # the native collectives: standalone Gloo, built with CMake
  libopenblas0-pthread                            # fast BLAS for the PyTorch baselines (else reference BLAS)
  python3 python3-numpy python3-torch             # PyTorch baselines and cross-checks
  python3-torchvision                             # resnet18 as PyTorch builds it: the ResNet parity test, the transfer example, bench/resnet
  python3-grpcio python3-grpc-tools               # a real gRPC peer for interop tests
  slurmctld slurmd slurm-client munge             # a real one-node SLURM cluster for the cluster tests
  chromium                                        # headless browser for the dashboard tests
  prometheus                                      # a real Prometheus scrapes the coordinator's /metrics in a test
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo=sudo
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v dotnet >/dev/null; then
  echo "setup: the .NET 10 SDK is not on PATH; install it (https://learn.microsoft.com/dotnet/core/install/linux-debian) and run again." >&2
  exit 1
fi

dotnet build DistTrain.sln -c Release -nologo -clp:ErrorsOnly
