#!/usr/bin/env bash
# Lists every test that did not pass in the TRX files under $1 (name, outcome, first lines of its
# message), so that the end of a long log says which tests failed. Prints nothing when all passed.
set -euo pipefail
dir=${1:?usage: test-failures.sh RESULTS_DIR}
python3 - "$dir" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
failed = []
for trx in sorted(glob.glob(f"{sys.argv[1]}/**/*.trx", recursive=True)):
    for result in ET.parse(trx).getroot().iterfind(".//t:UnitTestResult", ns):
        outcome = result.get("outcome", "")
        if outcome in ("Passed", "NotExecuted"):
            continue
        message = result.findtext(".//t:Message", default="", namespaces=ns).strip().splitlines()
        failed.append((result.get("testName", "?"), outcome, message[:6]))
if failed:
    print(f"{len(failed)} test(s) did not pass:")
    for name, outcome, message in failed:
        print(f"  {outcome}: {name}")
        for line in message:
            print(f"      {line}")
PY
