#!/usr/bin/env bash
# The chaos run of RELIABILITY.md: one `disttrain run` job (2 ranks, CPU, 100 steps, a checkpoint every 10) whose
# workers are killed with SIGKILL, a random rank at a random step, KILLS times (default 20), the plan drawn from SEED
# (default: a fresh one; the test prints it). Prints the date, the machine's load and the test's counts.
#   bench/reliability/chaos.sh [KILLS] [SEED]      (after: dotnet build DistTrain.sln -c Release)
set -euo pipefail
cd "$(dirname "$0")/../.."
export DISTTRAIN_CHAOS_KILLS="${1:-20}"
[[ -n "${2:-}" ]] && export DISTTRAIN_CHAOS_SEED="$2"
echo "date: $(date -u +%FT%TZ); host: $(hostname); cores: $(nproc); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
log="$(mktemp)"
status=0
dotnet test tests/DistTrain.Launcher.Tests -c Release --no-build -nologo \
  --filter "FullyQualifiedName~Reliability.ChaosTests" --logger "console;verbosity=detailed" >"$log" 2>&1 || status=$?
grep -E "chaos seed|Passed|Failed|Total tests|error" "$log" || cat "$log"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg); full log: $log"
exit "$status"
