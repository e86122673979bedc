#!/usr/bin/env bash
# The agent-kill record of RELIABILITY.md: kill -9 of `disttrain run` (standalone, 2 workers, checkpoint-train,
# a checkpoint every 10 steps, 100 ms a step) once step 20 is committed; prints which workers are still alive 1-60 s
# later, then runs the job again and prints the step it resumed at.   (after: dotnet build DistTrain.sln -c Release)
set -u
cd "$(dirname "$0")/../.."
BIN=tests/DistTrain.Launcher.Tests/bin/Release/net10.0
W=tests/DistTrain.Distributed.TestWorker/bin/Release/net10.0/DistTrain.Distributed.TestWorker.dll
D=$(mktemp -d); mkdir -p $D/ck $D/out $D/out2
DISTTRAIN_PROGRESS=off dotnet $BIN/disttrain.dll run --standalone --nproc-per-node 2 --max-restarts 0 --grace-period 5 --checkpoint-dir $D/ck -- $W checkpoint-train $D/out 100 10 --step-delay 100 >$D/agent.out 2>$D/agent.err &
AGENT=$!
for i in $(seq 1 600); do [[ -f $D/ck/latest ]] && [[ "$(cat $D/ck/latest)" > "step-000000020" || "$(cat $D/ck/latest)" == "step-000000020" ]] && break; sleep 0.2; done
P0=$(cat $D/out/pid-rank-0.txt); P1=$(cat $D/out/pid-rank-1.txt)
echo "$(date -u +%T) latest=$(cat $D/ck/latest) agent=$AGENT workers=$P0,$P1; kill -9 agent"
kill -9 $AGENT
for t in 1 5 10 20 30 60; do sleep $(( t - ${last:-0} )); last=$t
  alive=""; for p in $P0 $P1; do [[ -d /proc/$p ]] && alive="$alive $p($(awk '{print $3}' /proc/$p/stat))"; done
  echo "t+${t}s workers alive:${alive:- none}; rank-0 last step: $(tail -n1 $D/out/ids-rank-0.txt | cut -d' ' -f1); latest=$(cat $D/ck/latest)"
done
echo "--- worker logs (tail)"; tail -n 5 $D/agent.out $D/agent.err
for p in $P0 $P1; do [[ -d /proc/$p ]] && kill -9 $p; done
echo "--- second run"
DISTTRAIN_PROGRESS=off dotnet $BIN/disttrain.dll run --standalone --nproc-per-node 2 --max-restarts 0 --grace-period 5 --checkpoint-dir $D/ck -- $W checkpoint-train $D/out2 100 10 >$D/agent2.out 2>$D/agent2.err
echo "exit $?; resumed at: $(grep resume $D/out2/ids-rank-0.txt)"; tail -n 3 $D/agent2.out
echo "dir $D"
