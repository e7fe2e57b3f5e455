# Shared by the bench/run_*_bench.sh scripts (source it; never run alone):
# a work folder cleaned up on exit with every process in PIDS, free ports,
# waiting for a listener, peak RSS, CPU time and context switches of a
# process, /metrics sums and wrk-script fields.
# Needs: WORK_PREFIX (folder name prefix); metric() reads HOST_PORT.

WORK=$(mktemp -d "/tmp/${WORK_PREFIX:-sb_bench}.XXXXXX")
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  [[ ${KEEP_TMP:-0} == 1 ]] && echo "work folder kept: $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for_port() {
  for _ in $(seq 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "nothing listens on port $1" >&2
  return 1
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # utime + stime, all threads
context_switches() { cat "/proc/$1"/task/*/status | awk '/ctxt_switches/ {s += $2} END {print s}'; }
per_request() { echo "scale=${3:-2}; ($1) / ($2)" | bc; }  # per_request TOTAL COUNT [DECIMALS]
# ticks_by_thread PID: "name ticks" per thread name, summed over threads of
# the same name (the host names its threads after their role: sb-net,
# sb-writer, sb-pipeline, ...). In /proc/PID/task/TID/stat the name sits
# between the first "(" and the last ")"; utime and stime are the 11th and
# 12th fields after the state that follows it.
ticks_by_thread() {
  for stat in "/proc/$1"/task/*/stat; do
    sed -E 's/^[0-9]+ \((.*)\) [A-Za-z] (.*)$/\2|\1/' "$stat" 2>/dev/null
  done | awk -F'|' '{split($1, f, " "); name = $2; gsub(/ /, "_", name); t[name] += f[11] + f[12]}
                    END {for (n in t) print n, t[n]}' | sort
}
# cpu_by_thread BEFORE AFTER COUNT: µs of CPU per COUNT for each thread name,
# from two ticks_by_thread snapshots (files).
cpu_by_thread() {
  local ticks
  ticks=$(getconf CLK_TCK)
  join -a2 -e0 -o 0,1.2,2.2 "$1" "$2" |
    awk -v n="$3" -v hz="$ticks" '$3 > $2 {printf "%s %.1f, ", $1, ($3 - $2) * 1000000 / hz / n}' | sed 's/, $//'
}
peak_rss_mib() { awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
metric() {  # metric NAME [LABEL-FILTER]: sum of the samples of NAME on the host's /metrics
  curl -s "http://127.0.0.1:$HOST_PORT/metrics" |
    awk -v name="$1" -v filter="${2:-}" \
      '($1 == name || index($1, name "{") == 1) && index($1, filter) {sum += $2} END {printf "%d", sum}'
}
field() { grep '^SBBENCH' "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k {print $2}'; }
