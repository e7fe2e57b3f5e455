#!/usr/bin/env bash
# Installs dependencies, builds Switchboard (Release, Ninja) into build/ and
# runs the whole test suite with ctest. Run from anywhere inside the repo.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

./scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build -j "$(nproc)"
ctest --test-dir build --output-on-failure
