#!/usr/bin/env bash
# Proves a partner can build a plugin against the installed SDK alone and the
# host loads it:
#   1. cmake --install the build tree into a temporary prefix;
#   2. build plugin-api/examples/echo out of tree against that prefix and run
#      its own FakeHost test;
#   3. check example_echo.so exports exactly sb_plugin_entry_v1;
#   4. point service.plugin_dirs at it and run `switchboard plugins` and
#      `switchboard try`.
# Usage: out_of_tree_plugin.sh <switchboard binary> <build dir> <source dir>
# KEEP_TMP=1 keeps the temporary folder for a look afterwards.
set -euo pipefail

if [[ $# -ne 3 ]]; then
  echo "usage: $0 <switchboard binary> <build dir> <source dir>" >&2
  exit 2
fi
switchboard=$1
build_dir=$2
source_dir=$3

tmp=$(mktemp -d "${TMPDIR:-/tmp}/switchboard-oot.XXXXXX")
cleanup() {
  if [[ "${KEEP_TMP:-0}" == 1 ]]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

step() { echo "== $*"; }
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
# Runs a command with its output in a log, shown only when it fails.
run() {
  local what=$1
  shift
  local log
  log="$tmp/$(echo "$what" | tr -c 'a-zA-Z0-9' '_').log"
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    fail "$what failed: $*"
  fi
}

command -v jq >/dev/null || fail "jq is missing: run scripts/install-deps.sh"
[[ -x "$switchboard" ]] || fail "no switchboard binary at $switchboard: build the whole tree before running ctest"

prefix=$tmp/prefix
step "1. install $build_dir into $prefix"
run "cmake --install" cmake --install "$build_dir" --prefix "$prefix"
[[ -f "$prefix/include/switchboard/plugin.h" ]] || fail "install put no plugin.h under $prefix/include"

step "2. build plugin-api/examples/echo out of tree against $prefix"
echo_src=$source_dir/plugin-api/examples/echo
echo_build=$tmp/echo-build
generator=()
if command -v ninja >/dev/null; then generator=(-G Ninja); fi
run "configure example" cmake -S "$echo_src" -B "$echo_build" "${generator[@]}" \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix"
found=$(sed -n 's/^Switchboard_DIR:PATH=//p' "$echo_build/CMakeCache.txt")
[[ "$found" == "$prefix"/* ]] || fail "example found the Switchboard package at '$found', not in $prefix"
run "build example" cmake --build "$echo_build" -j "$(nproc)"
run "example's own tests" ctest --test-dir "$echo_build" --output-on-failure

step "3. example_echo.so exports exactly sb_plugin_entry_v1"
plugin=$echo_build/example_echo.so
[[ -f "$plugin" ]] || fail "no $plugin after the build"
exported=$(nm -D --defined-only "$plugin" | awk '{print $NF}')
[[ "$exported" == "sb_plugin_entry_v1" ]] || fail "$plugin must export only sb_plugin_entry_v1, exports:
$exported"

step "4. the host loads it from service.plugin_dirs"
plugin_dir=$tmp/partner-plugins
mkdir -p "$plugin_dir"
cp "$plugin" "$plugin_dir/"
config=$tmp/config.json
# The inbox uses the first-party "api" channel; try never creates it, but its
# config block is still validated, and its secret must come from ${ENV}.
export OOT_API_SECRET=out-of-tree-test
cat >"$config" <<JSON
{
  "service": {"plugin_dirs": ["$plugin_dir"], "data_dir": "$tmp/data", "listen": "127.0.0.1:0"},
  "inboxes": [{"id": "web", "channel": {"plugin": "api", "config": {"secret": "\${OOT_API_SECRET}"}}, "pipeline": "main"}],
  "pipelines": {
    "main": {"steps": [{"plugin": "example_echo", "config": {"prefix": "echo: "}}]}
  }
}
JSON

if ! listing=$("$switchboard" plugins --config "$config" 2>&1); then
  echo "$listing" >&2
  fail "switchboard plugins --config $config exited non-zero"
fi
grep -q '^example_echo\b' <<<"$listing" || fail "switchboard plugins does not list example_echo:
$listing"

if ! trace=$("$switchboard" try --config "$config" "xin chào" 2>"$tmp/try.err"); then
  cat "$tmp/try.err" >&2
  echo "$trace" >&2
  fail "switchboard try --config $config exited non-zero"
fi
jq -e 'type == "object" and (.replies | type == "array")' >/dev/null <<<"$trace" ||
  fail "switchboard try did not print one JSON object with a \"replies\" array:
$trace"
jq -e 'any(.replies[]; .text == "echo: xin chào")' >/dev/null <<<"$trace" ||
  fail "switchboard try has no reply with text \"echo: xin chào\":
$trace"

echo "PASS: example_echo built out of tree, exports one symbol, loads and replies"
