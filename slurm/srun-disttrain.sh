#!/usr/bin/env bash
# The body every DistTrain batch script shares: run by `exec` from the batch script, it
#   - makes the job's token (unless DISTTRAIN_TOKEN is set) and the coordinator's endpoint (the first
#     host of the allocation; task 0 runs the coordinator there),
#   - starts `disttrain run` in every task with `srun`,
#   - on SIGUSR1 (sbatch --signal=B:USR1@SECONDS, the preemption or time-limit warning) passes the
#     signal on through srun to every `disttrain run`, which passes it to the training processes so
#     they can checkpoint, waits up to DISTTRAIN_CHECKPOINT_WAIT seconds (60) for them, and requeues
#     the job (sbatch --requeue); the requeued job resumes from the latest checkpoint.
#
# Usage (inside a batch script): exec srun-disttrain.sh [disttrain run options] -- PROGRAM [ARGS...]
# Environment: DISTTRAIN      the disttrain command (default: disttrain on PATH)
#              DISTTRAIN_PORT the coordinator's port (default: 29400 + job id % 1000, so that jobs
#                             sharing a node do not collide)
set -euo pipefail

disttrain="${DISTTRAIN:-disttrain}"
: "${SLURM_JOB_ID:?run this from a batch script (sbatch), not by hand}"

# One secret per job, passed by srun to every task (it travels in the job's environment).
if [ -z "${DISTTRAIN_TOKEN:-}" ]; then
  DISTTRAIN_TOKEN="$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
fi
export DISTTRAIN_TOKEN

head_node="$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n1)"
port="${DISTTRAIN_PORT:-$((29400 + SLURM_JOB_ID % 1000))}"
echo "disttrain: job $SLURM_JOB_ID (restart ${SLURM_RESTART_COUNT:-0}) on $SLURM_JOB_NODELIST, coordinator $head_node:$port"

srun_pid=""
on_warning() {
  echo "disttrain: SIGUSR1 (time limit or preemption ahead): asking the workers to checkpoint"
  [ -n "$srun_pid" ] && kill -USR1 "$srun_pid" 2>/dev/null || true
  for _ in $(seq "${DISTTRAIN_CHECKPOINT_WAIT:-60}"); do
    kill -0 "$srun_pid" 2>/dev/null || break
    sleep 1
  done
  echo "disttrain: requeueing job $SLURM_JOB_ID"
  scontrol requeue "$SLURM_JOB_ID" || echo "disttrain: could not requeue job $SLURM_JOB_ID (submitted without --requeue?)" >&2
}
trap on_warning USR1

# srun of SLURM 22.05 to 23.02 does not pass sbatch's --cpus-per-task on to the tasks: say it again.
srun_options=(--kill-on-bad-exit=1)
[ -n "${SLURM_CPUS_PER_TASK:-}" ] && srun_options+=("--cpus-per-task=$SLURM_CPUS_PER_TASK")

# In the background, so that the trap runs as soon as the signal comes (bash runs traps between commands).
srun "${srun_options[@]}" "$disttrain" run --rdzv-endpoint "$head_node:$port" "$@" &
srun_pid=$!

# `wait` returns early when a trapped signal arrives: keep waiting until srun itself ends.
status=0
while true; do
  wait "$srun_pid" && status=0 || status=$?
  kill -0 "$srun_pid" 2>/dev/null || break
done
exit "$status"
