#!/usr/bin/env bash
# Installs dependencies, builds Switchboard into build/ and runs it with the
# demo config (config/demo.json). Extra arguments go to `switchboard run`.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

./scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build -j "$(nproc)"
exec build/bin/switchboard run --config config/demo.json "$@"
