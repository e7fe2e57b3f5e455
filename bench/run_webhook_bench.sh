#!/usr/bin/env bash
# Webhook throughput of the host against a bare cpp-httplib server, back to
# back on this machine: wrk -t2 -c64 -d20s --latency with pre-signed, unique
# api-channel messages (bench/webhook/post.lua).
#   host: `switchboard run`, api inbox "demo" -> reply pipeline (one reply per
#         message), SQLite durable ack; callbacks go to a local sink
#         (bare_server on another port, answering 200).
#   bare: bench/bare_http/bare_server answering 200 to POST /webhooks/demo, run
#         right before and right after the host; host/bare is against their mean.
# Prints req/s, p50/p99, peak RSS and host/bare, the host's CPU time and
# context switches per request (from /proc, less noisy than req/s on a shared
# machine; the CPU also split by thread name: sb-net, sb-writer, sb-pipeline,
# ...), and the sustained processing rate: messages processed end to end
# (pipeline run committed, reply sent) during and after the run, and how long
# the backlog took to drain. It never asserts anything.
# Environment: BUILD_DIR (build-bench), DURATION (20s), CONNECTIONS (64),
# WRK_THREADS (2), BODIES (900000: more than 20 s at 40k req/s), DRAIN_TIMEOUT (300 s to wait for the backlog),
# KEEP_TMP=1 keeps the work folder.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-64}
WRK_THREADS=${WRK_THREADS:-2}
BODIES=${BODIES:-900000}
SECRET=bench-secret-0123456789

as_root=()
[[ $(id -u) -eq 0 ]] || as_root=(sudo)
if ! command -v wrk >/dev/null; then
  "${as_root[@]}" apt-get update
  "${as_root[@]}" apt-get install -y --no-install-recommends wrk
fi

echo "== build (Release) into $BUILD_DIR"
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSWITCHBOARD_BUILD_TESTS=OFF \
  -DSWITCHBOARD_BUILD_BENCH=ON >/dev/null
cmake --build "$BUILD_DIR" --target switchboard api reply -j "$(nproc)"
if cmake --build "$BUILD_DIR" --target bare_server -j "$(nproc)" 2>/dev/null; then
  BARE=$BUILD_DIR/bin/bare_server
else  # bench/ not wired into the top-level build: compile the one file directly
  BARE=$BUILD_DIR/bin/bare_server
  mkdir -p "$(dirname "$BARE")"
  # shellcheck disable=SC2046
  c++ -O2 -std=c++17 bench/bare_http/bare_server.cpp -o "$BARE" $(pkg-config --cflags --libs cpp-httplib) -pthread
fi

WORK_PREFIX=sb_bench
# shellcheck source=bench/bench_common.sh
source bench/bench_common.sh  # the scripts run from the repository root (cd above)
run_wrk() {  # run_wrk PORT OUTFILE
  wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$ROOT/bench/webhook/post.lua" \
    "http://127.0.0.1:$1" -- "$WORK/bodies.tsv" "$WRK_THREADS" /webhooks/demo | tee "$2"
}

echo "== $BODIES pre-signed unique bodies"
python3 bench/webhook/make_signed_bodies.py "$WORK/bodies.tsv" "$BODIES" "$SECRET" 1000 "bench$$"

# The bare server right before and right after the host, so a slow spell of
# this shared machine during one run moves the baseline it is compared to.
run_bare() {  # run_bare before|after
  local port pid
  port=$(free_port)
  "$BARE" "$port" 2>"$WORK/bare-$1.log" &
  pid=$!
  PIDS+=("$pid")
  wait_for_port "$port"
  echo "== wrk -> bare, $1 the host (port $port)"
  run_wrk "$port" "$WORK/wrk-bare-$1.txt"
  BARE_RSS=$(peak_rss_mib "$pid")
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}
run_bare before

echo "== callback sink"
SINK_PORT=$(free_port)
"$BARE" "$SINK_PORT" 2>"$WORK/sink.log" &
PIDS+=($!)
wait_for_port "$SINK_PORT"

echo "== host"
cat >"$WORK/bench.json" <<JSON
// The demo's shape (one api inbox, a reply pipeline) with a callback sink.
{
  "service": { "listen": "127.0.0.1:0", "data_dir": "$WORK/data" },
  "inboxes": [
    { "id": "demo",
      "channel": { "plugin": "api",
                   "config": { "secret": "\${DEMO_API_SECRET}", "callback_url": "http://127.0.0.1:$SINK_PORT/webhooks/demo" } },
      "pipeline": "clinic" }
  ],
  "pipelines": {
    "clinic": { "steps": [ { "plugin": "reply", "config": { "text": "Phòng khám đã nhận: {text}" } } ] }
  }
}
JSON
DEMO_API_SECRET=$SECRET "$BUILD_DIR/bin/switchboard" run --config "$WORK/bench.json" 2>"$WORK/host.log" &
HOST_PID=$!
PIDS+=("$HOST_PID")
for _ in $(seq 300); do grep -q ready "$WORK/host.log" && break; sleep 0.05; done
HOST_PORT=$(grep -o 'listening on 127.0.0.1:[0-9]*' "$WORK/host.log" | head -1 | sed 's/.*://' || true)
[[ -n $HOST_PORT ]] || { echo "the host did not start:" >&2; cat "$WORK/host.log" >&2; exit 1; }

echo "== wrk -> host (port $HOST_PORT)"
cpu_before=$(cpu_ticks "$HOST_PID")
switches_before=$(context_switches "$HOST_PID")
ticks_by_thread "$HOST_PID" >"$WORK/threads-before.txt"
run_wrk "$HOST_PORT" "$WORK/wrk-host.txt"
cpu_after=$(cpu_ticks "$HOST_PID")
switches_after=$(context_switches "$HOST_PID")
ticks_by_thread "$HOST_PID" >"$WORK/threads-after.txt"
# The ack is the benchmark; processing and replies run behind it. Report how
# long they take to catch up, in wall-clock seconds after wrk stopped (sampled
# about once a second; DRAIN_TIMEOUT caps the wait).
accepted=$(metric switchboard_inbound_total 'result="accepted"')
processed=$(metric switchboard_processed_total)
sent=$(metric switchboard_replies_total 'result="sent"')
processed_at_stop=$processed
echo "== draining: $accepted accepted; $processed processed and $sent replies sent when wrk stopped"
processed_s=
drained_s=
drain_start=$SECONDS
next_report=30
while ((SECONDS - drain_start < ${DRAIN_TIMEOUT:-300})); do
  sleep 1
  elapsed=$((SECONDS - drain_start))
  processed=$(metric switchboard_processed_total)
  sent=$(metric switchboard_replies_total 'result="sent"')
  if ((elapsed >= next_report)); then
    echo "   ${elapsed}s: processed $processed, sent $sent"
    next_report=$((next_report + 30))
  fi
  [[ -z $processed_s && $processed -ge $accepted ]] && processed_s=$elapsed
  if [[ -n $processed_s && $sent -ge $accepted && $(metric switchboard_outbox_depth) -eq 0 ]]; then
    drained_s=$elapsed
    break
  fi
done
cpu_drained=$(cpu_ticks "$HOST_PID")
HOST_RSS=$(peak_rss_mib "$HOST_PID")
kill -TERM "$HOST_PID"
wait "$HOST_PID" || echo "host exited with $?"

run_bare after

host_rps=$(field "$WORK/wrk-host.txt" req_per_s)
bare_before=$(field "$WORK/wrk-bare-before.txt" req_per_s)
bare_after=$(field "$WORK/wrk-bare-after.txt" req_per_s)
bare_rps=$(((bare_before + bare_after) / 2))
echo
echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)); wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION on the same cores"
printf '| %-11s | %8s | %8s | %8s | %8s | %10s | %9s |\n' target req/s p50_ms p99_ms errors requests peak_RSS
printf '|%s|\n' "-------------|----------|----------|----------|----------|------------|-----------"
for t in host bare-before bare-after; do
  f=$WORK/wrk-$t.txt
  rss=$HOST_RSS; [[ $t == bare* ]] && rss=$BARE_RSS
  printf '| %-11s | %8s | %8s | %8s | %8s | %10s | %5s MiB |\n' "$t" "$(field "$f" req_per_s)" "$(field "$f" p50_ms)" \
    "$(field "$f" p99_ms)" "$(field "$f" errors)" "$(field "$f" requests)" "$rss"
done
echo "host/bare: $(echo "scale=3; $host_rps / $bare_rps" | bc) (against the mean of the two bare runs;" \
  "$(echo "scale=3; $host_rps / $bare_before" | bc) before, $(echo "scale=3; $host_rps / $bare_after" | bc) after)"
echo "host: bodies repeated past the unique set: $(field "$WORK/wrk-host.txt" repeated_bodies)"
host_requests=$(field "$WORK/wrk-host.txt" requests)
wrk_s=$(field "$WORK/wrk-host.txt" duration_s)
ticks=$(getconf CLK_TCK)
echo "host during wrk: $(per_request "($cpu_after - $cpu_before) * 1000000 / $ticks" "$host_requests" 0) µs CPU and" \
  "$(per_request "$switches_after - $switches_before" "$host_requests" 2) context switches per request"
echo "host during wrk, µs CPU per request by thread: $(cpu_by_thread "$WORK/threads-before.txt" \
  "$WORK/threads-after.txt" "$host_requests")"
echo "host processing: $processed_at_stop of $accepted processed during the ${wrk_s}s run" \
  "($(per_request "$processed_at_stop" "$wrk_s" 0) msg/s)"
if [[ -n $drained_s ]]; then
  echo "host backlog: all $accepted accepted messages processed ${processed_s}s and all replies sent ${drained_s}s after wrk stopped"
  drain_rate=$(per_request "$accepted - $processed_at_stop" "$((drained_s > 0 ? drained_s : 1))" 0)
  echo "host sustained: $(per_request "$accepted" "$wrk_s + $drained_s" 0) msg/s processed and answered end to end" \
    "(run + drain); backlog drained at ~$drain_rate msg/s; $(per_request "($cpu_drained - $cpu_before) * 1000000 / $ticks" "$accepted" 0)" \
    "µs host CPU per message, ack to reply"
else
  echo "host backlog: after ${DRAIN_TIMEOUT:-300}s, $processed of $accepted accepted messages processed, $sent replies sent"
fi
