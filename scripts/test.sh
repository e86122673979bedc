#!/usr/bin/env bash
# Runs the whole test suite and ends with the totals, computed from the test results (TRX files),
# alone on the last line: "N passed, N failed, N skipped". Exits non-zero when any test failed,
# when a test run crashed, or when no test ran at all.
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh || exit 1

results=artifacts/test-results
rm -rf "$results"
dotnet test DistTrain.sln -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" "$@"
status=$?

totals=$(scripts/test-totals.sh "$results")
echo
scripts/test-failures.sh "$results"
echo "$totals"
read -r passed _ failed _ <<<"${totals//,/}"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
