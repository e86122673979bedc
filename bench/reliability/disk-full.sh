#!/usr/bin/env bash
# The full-disk record of RELIABILITY.md (as root): the checkpoint directory of a `disttrain run` job (standalone,
# 2 workers, checkpoint-train, 60 steps, a checkpoint every 10) on a 1 MiB tmpfs that a filler file leaves
# FREE_KIB free (default 40) once the first checkpoint is written; prints what the agent and the workers
# printed about it, the exit code, `latest` and whether it loads in a second run.   (after: dotnet build -c Release)
set -u
cd "$(dirname "$0")/../.."
BIN=tests/DistTrain.Launcher.Tests/bin/Release/net10.0
W=tests/DistTrain.Distributed.TestWorker/bin/Release/net10.0/DistTrain.Distributed.TestWorker.dll
D=$(mktemp -d); mkdir -p $D/ck $D/out $D/out2
mount -t tmpfs -o size=1m disttrain-full $D/ck || exit 1
trap 'umount $D/ck' EXIT
DISTTRAIN_PROGRESS=off dotnet $BIN/disttrain.dll run --standalone --nproc-per-node 2 --max-restarts 0 --grace-period 5 --checkpoint-dir $D/ck -- $W checkpoint-train $D/out 60 10 --step-delay 100 >$D/agent.out 2>$D/agent.err &
AGENT=$!
for i in $(seq 1 600); do [[ -f $D/ck/latest ]] && break; sleep 0.1; done
free=$(( $(stat -f -c '%a*%S' $D/ck) )); fill=$(( free - ${FREE_KIB:-40} * 1024 ))
head -c $fill /dev/zero > $D/ck/filler 2>/dev/null
echo "$(date -u +%T) latest=$(cat $D/ck/latest); filled $fill bytes, $(df -k --output=avail $D/ck | tail -1) KiB free"
wait $AGENT; echo "agent exit $?; latest=$(cat $D/ck/latest); checkpoints: $(ls $D/ck | grep step | tr '\n' ' ')"
echo "--- agent and workers, lines about the failure:"; grep -hiE "space|full|fail|error|checkpoint" $D/agent.out $D/agent.err | head -20
rm -f $D/ck/filler
DISTTRAIN_PROGRESS=off dotnet $BIN/disttrain.dll run --standalone --nproc-per-node 2 --max-restarts 0 --grace-period 5 --checkpoint-dir $D/ck -- $W checkpoint-train $D/out2 60 10 >$D/agent2.out 2>$D/agent2.err
echo "second run (filler removed): exit $?; $(grep resume $D/out2/ids-rank-0.txt)"; grep -hiE "skipping|corrupt" $D/agent2.out $D/agent2.err | head -3
echo "dir $D"
