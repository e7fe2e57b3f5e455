#!/usr/bin/env bash
# Messenger through the full pipeline: signed page webhooks (X-Hub-Signature-256,
# one unique text message per request, 1,000 PSIDs) into `switchboard run` with
# the real messenger plugin, a reply step answering every message, and the
# replies sent through the Send API to a local Graph stand-in
# (bench/graph_stand_in). wrk -t2 -c64 -d20s --latency, like
# run_webhook_bench.sh (whose api-channel figure is the comparison).
# Prints req/s, p50/p99 of the acknowledgement, peak RSS, and how long the
# backlog (processing + Send API replies) takes to drain. It never asserts.
# Environment: BUILD_DIR (build-bench), DURATION (20s), CONNECTIONS (64),
# WRK_THREADS (2), BODIES (400000), DRAIN_TIMEOUT (300 s), KEEP_TMP=1.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-64}
WRK_THREADS=${WRK_THREADS:-2}
BODIES=${BODIES:-400000}
APP_SECRET=bench-app-secret-0123456789
PAGE_TOKEN=bench-page-token
PAGE_ID=514061682115264

as_root=()
[[ $(id -u) -eq 0 ]] || as_root=(sudo)
if ! command -v wrk >/dev/null; then
  "${as_root[@]}" apt-get update
  "${as_root[@]}" apt-get install -y --no-install-recommends wrk
fi

echo "== build (Release) into $BUILD_DIR"
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSWITCHBOARD_BUILD_TESTS=OFF \
  -DSWITCHBOARD_BUILD_BENCH=ON >/dev/null
cmake --build "$BUILD_DIR" --target switchboard messenger reply graph_stand_in -j "$(nproc)"

WORK_PREFIX=sb_msgr_bench
# shellcheck source=bench/bench_common.sh
source bench/bench_common.sh  # the scripts run from the repository root (cd above)

echo "== $BODIES pre-signed unique page webhooks"
python3 bench/webhook/make_messenger_bodies.py "$WORK/bodies.tsv" "$BODIES" "$APP_SECRET" "$PAGE_ID" 1000 "b$$"

echo "== Graph stand-in"
GRAPH_PORT=$(free_port)
"$BUILD_DIR/bin/graph_stand_in" "$GRAPH_PORT" "$PAGE_TOKEN" 2>"$WORK/graph.log" &
PIDS+=($!)
wait_for_port "$GRAPH_PORT"

echo "== host"
cat >"$WORK/bench.json" <<JSON
// One messenger inbox, a reply pipeline, Send API to the local stand-in.
{
  "service": { "listen": "127.0.0.1:0", "data_dir": "$WORK/data" },
  "inboxes": [
    { "id": "fb",
      "channel": { "plugin": "messenger",
                   "config": { "app_id": "1234567890", "app_secret": "\${FB_APP_SECRET}",
                               "page_access_token": "\${FB_PAGE_TOKEN}", "verify_token": "\${FB_VERIFY_TOKEN}",
                               "page_id": "$PAGE_ID", "graph_api_base": "http://127.0.0.1:$GRAPH_PORT" } },
      "pipeline": "clinic" }
  ],
  "pipelines": {
    "clinic": { "steps": [ { "plugin": "reply", "config": { "text": "Phòng khám đã nhận: {text}" } } ] }
  }
}
JSON
FB_APP_SECRET=$APP_SECRET FB_PAGE_TOKEN=$PAGE_TOKEN FB_VERIFY_TOKEN=verify \
  "$BUILD_DIR/bin/switchboard" run --config "$WORK/bench.json" 2>"$WORK/host.log" &
HOST_PID=$!
PIDS+=("$HOST_PID")
for _ in $(seq 300); do grep -q ready "$WORK/host.log" && break; sleep 0.05; done
HOST_PORT=$(grep -o 'listening on 127.0.0.1:[0-9]*' "$WORK/host.log" | head -1 | sed 's/.*://' || true)
[[ -n $HOST_PORT ]] || { echo "the host did not start:" >&2; cat "$WORK/host.log" >&2; exit 1; }

echo "== wrk -> host (port $HOST_PORT, /webhooks/fb)"
wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$ROOT/bench/webhook/post.lua" \
  "http://127.0.0.1:$HOST_PORT" -- "$WORK/bodies.tsv" "$WRK_THREADS" /webhooks/fb X-Hub-Signature-256 |
  tee "$WORK/wrk.txt"

accepted=$(metric switchboard_inbound_total 'result="accepted"')
rejected=$(metric switchboard_inbound_total 'result="rejected"')
echo "== draining: $accepted accepted ($rejected rejected)"
drained_s=
drain_start=$SECONDS
while ((SECONDS - drain_start < ${DRAIN_TIMEOUT:-300})); do
  sleep 1
  sent=$(metric switchboard_replies_total 'result="sent"')
  if [[ $sent -ge $accepted && $(metric switchboard_outbox_depth) -eq 0 ]]; then
    drained_s=$((SECONDS - drain_start))
    break
  fi
done
processed=$(metric switchboard_processed_total)
sent=$(metric switchboard_replies_total 'result="sent"')
dead=$(metric switchboard_replies_total 'result="dead"')
graph_calls=$(curl -s "http://127.0.0.1:$GRAPH_PORT/count")
HOST_RSS=$(peak_rss_mib "$HOST_PID")
kill -TERM "$HOST_PID"
wait "$HOST_PID" || echo "host exited with $?"

f=$WORK/wrk.txt
echo
echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)); wrk, host and stand-in on the same cores"
printf '| %-9s | %8s | %8s | %8s | %8s | %10s | %9s |\n' target req/s p50_ms p99_ms errors requests peak_RSS
printf '|%s|\n' "-----------|----------|----------|----------|----------|------------|-----------"
printf '| %-9s | %8s | %8s | %8s | %8s | %10s | %5s MiB |\n' messenger "$(field "$f" req_per_s)" "$(field "$f" p50_ms)" \
  "$(field "$f" p99_ms)" "$(field "$f" errors)" "$(field "$f" requests)" "$HOST_RSS"
echo "bodies repeated past the unique set: $(field "$f" repeated_bodies)"
echo "processed $processed, replies sent $sent, dead $dead, Send API calls seen by the stand-in $graph_calls"
if [[ -n $drained_s ]]; then
  echo "backlog: all $accepted replies sent ${drained_s}s after wrk stopped"
else
  echo "backlog: after ${DRAIN_TIMEOUT:-300}s, $sent of $accepted replies sent"
fi
