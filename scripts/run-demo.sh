#!/usr/bin/env bash
# Installs dependencies, builds Switchboard into build/ and runs it with the
# demo config (config/demo.json) and its embedded SQLite database (data/).
# A small receiver (scripts/demo-receiver.py) stands in for the partner app
# and prints every reply; send messages with scripts/demo-send.sh.
# Extra arguments go to `switchboard run`.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

./scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build -j "$(nproc)"

# A demo agent with a fresh random password on every start (demo only: real
# deployments set passwords once with `switchboard agent add`).
demo_password=$(openssl rand -hex 8)
verb=add
if build/bin/switchboard agent list --config config/demo.json 2>/dev/null | grep -q '^demo .* active'; then verb=passwd; fi
echo "$demo_password" | build/bin/switchboard agent "$verb" demo --config config/demo.json >/dev/null
echo "run-demo: web inbox: http://${SWITCHBOARD_LISTEN:-127.0.0.1:8080}/  agent: demo / $demo_password  (demo only)"

python3 scripts/demo-receiver.py 8090 &
receiver=$!
trap 'kill $receiver 2>/dev/null || true' EXIT
echo "run-demo: in another terminal: scripts/demo-send.sh \"đặt lịch khám\""
build/bin/switchboard run --config config/demo.json "$@"
