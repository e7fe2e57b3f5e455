#!/usr/bin/env bash
# Fails when a tracked C/C++ file differs from what clang-format (.clang-format) makes of it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
git ls-files -co --exclude-standard -- '*.c' '*.h' '*.cpp' '*.hpp' | xargs clang-format --dry-run --Werror
echo "check-format: all files formatted"
