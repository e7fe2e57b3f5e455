#!/usr/bin/env bash
# Feeds every sample and signature vector under $ROOT/../shared/fixtures/{zalo,messenger}
# through the built zalo_oa and messenger plugins (build/plugins/*.so). Run by
# .ci/run after scripts/test.sh; skipped (exit 0, said so) when the fixtures
# are not next to the clone. The fixtures are never copied into the repo.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FIXTURES="$ROOT/../shared/fixtures"
if [[ ! -d "$FIXTURES/zalo" || ! -d "$FIXTURES/messenger" ]]; then
  echo "conformance: $FIXTURES/{zalo,messenger} not found; skipped"
  exit 0
fi
BUILD="${BUILD_DIR:-$ROOT/build}"
echo "conformance: fixtures $FIXTURES, plugins $BUILD/plugins"
"$BUILD/bin/channel_conformance" "$FIXTURES" "$BUILD/plugins"
