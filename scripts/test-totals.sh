#!/usr/bin/env bash
# Adds up the counters of every TRX file under $1 and prints "N passed, N failed, N skipped".
# Errors, timeouts and aborts count as failures; a test project that crashed before writing its
# TRX shows up as fewer tests, and `dotnet test`'s exit code reports it.
set -euo pipefail
dir=${1:?usage: test-totals.sh RESULTS_DIR}
passed=0 failed=0 skipped=0
shopt -s nullglob globstar
for trx in "$dir"/**/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  value() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
  skipped=$((skipped + $(value notExecuted)))
done
echo "$passed passed, $failed failed, $skipped skipped"
