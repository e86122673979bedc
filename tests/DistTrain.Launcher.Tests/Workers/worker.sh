#!/usr/bin/env bash
# A tiny worker for the launcher's tests: what it does is chosen by its first argument.
set -u
mode=$1; shift
case "$mode" in
  ok)        # print the environment the agent gave, exit 0
    echo "rank=$RANK local=$LOCAL_RANK world=$WORLD_SIZE round=$DISTTRAIN_ROUND restart=$DISTTRAIN_RESTART_COUNT"
    exit 0 ;;
  fail-once) # rank $1 exits 3 on the first attempt; every rank succeeds after a restart
    if [ "$RANK" = "$1" ] && [ "$DISTTRAIN_RESTART_COUNT" = "0" ]; then echo "rank $RANK failing on purpose" >&2; exit 3; fi
    [ "$DISTTRAIN_RESTART_COUNT" = "0" ] && sleep 30
    echo "rank $RANK done after restart $DISTTRAIN_RESTART_COUNT"
    exit 0 ;;
  fail-round-1) # rank $1 exits 3 in round 1 while the others would run 30 s; in later rounds every rank exits 0
    if [ "$DISTTRAIN_ROUND" = "1" ]; then
      if [ "$RANK" = "$1" ]; then sleep 0.5; echo "rank $RANK failing on purpose" >&2; exit 3; fi
      sleep 30
    fi
    echo "rank $RANK done in round $DISTTRAIN_ROUND restart $DISTTRAIN_RESTART_COUNT"
    exit 0 ;;
  fail-always) # rank $1 exits 7 every time; the others would run 30 s
    if [ "$RANK" = "$1" ]; then sleep 0.3; echo "rank $RANK failing on purpose" >&2; exit 7; fi
    sleep 30; exit 0 ;;
  sigkill)   # rank $1 is killed by SIGKILL from outside the agent
    if [ "$RANK" = "$1" ]; then sleep 0.3; kill -9 $$; fi
    sleep 30; exit 0 ;;
  hang)      # write own pid and a background child's pid into $1, then wait forever
    sleep 1000 &
    echo $! > "$1/child-$RANK.pid"
    echo $$ > "$1/worker-$RANK.pid"
    echo "ready"
    wait ;;
  signals)   # write own pid into $1, then record every SIGUSR1, SIGTERM and SIGINT in $1/signals-<rank>; TERM and INT end it with 0
    dir=$1
    trap 'echo USR1 >> "$dir/signals-$RANK"' USR1
    trap 'echo TERM >> "$dir/signals-$RANK"; exit 0' TERM
    trap 'echo INT >> "$dir/signals-$RANK"; exit 0' INT
    echo $$ > "$dir/worker-$RANK.pid"
    echo "ready"
    while true; do sleep 0.1; done ;;
  stubborn)  # ignore SIGTERM; write own pid into $1 and wait forever
    trap '' TERM
    echo $$ > "$1/worker-$RANK.pid"
    echo "ready"
    while true; do sleep 0.1; done ;;
  record)    # write the environment into $1/env-round<R>-rank<N>; sleep $2 s in round 1, $3 s later
    # Written aside, then renamed: a test that sees the file sees all of it.
    env | sort > "$1/.env-round$DISTTRAIN_ROUND-rank$RANK.partial"
    mv "$1/.env-round$DISTTRAIN_ROUND-rank$RANK.partial" "$1/env-round$DISTTRAIN_ROUND-rank$RANK"
    if [ "$DISTTRAIN_ROUND" = "1" ]; then sleep "$2"; else sleep "$3"; fi
    exit 0 ;;
  *) echo "unknown mode $mode" >&2; exit 64 ;;
esac
