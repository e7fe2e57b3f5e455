#!/usr/bin/env bash
# Installs every Debian 12 package needed to build and test Switchboard.
# Idempotent: when all packages are already installed it does nothing (no
# apt-get update), so reruns from scripts/test.sh cost a few milliseconds.
# Run as root (or with sudo available) on Debian 12 "bookworm".
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config git ca-certificates binutils
  # demo: the reply receiver, signing and sending messages
  python3 openssl curl sqlite3
  # libraries
  libboost-dev libboost-filesystem-dev
  nlohmann-json3-dev
  libre2-dev
  libsqlite3-dev
  libcpp-httplib-dev
  libcli11-dev
  libssl-dev
  libutf8proc-dev
  # time zones: service.timezone checks and the business calendar read /usr/share/zoneinfo
  tzdata
  libsodium-dev
  # the executable's allocator (host/CMakeLists.txt)
  libmimalloc-dev
  # email channel: GMime 3 (MIME), libetpan (IMAP with IDLE), libcurl for
  # SMTP -- the GnuTLS flavour, because libetpan-dev depends on it
  libgmime-3.0-dev libetpan-dev libcurl4-gnutls-dev
  # email channel: GnuTLS verifies IMAP server certificates (libetpan does not)
  libgnutls28-dev
  # tests and formatting (jq reads the CLI's JSON in integration tests)
  doctest-dev
  jq
  clang-format
  # email channel tests: real Dovecot IMAP and an aiosmtpd SMTP server that
  # delivers through dovecot-lda, both on loopback
  dovecot-imapd python3-aiosmtpd
  # web inbox browser tests: node runs Playwright (playwright-core from npm,
  # pinned in tests/browser/package-lock.json), which drives Debian's Chromium
  nodejs chromium
)

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "installed" ]] || missing+=("$pkg")
done

# The browser tests' npm packages, exactly as locked; only when missing or
# the lock file changed since the last install.
install_browser_test_packages() {
  local dir tests_dir
  tests_dir="$(dirname "${BASH_SOURCE[0]}")/../tests/browser"
  dir=$(cd "$tests_dir" && pwd)
  if [[ ! -f "$dir/node_modules/.package-lock.json" || "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]]; then
    echo "install-deps: npm ci in tests/browser (playwright-core)"
    (cd "$dir" && npm ci --no-audit --no-fund)
  fi
}

# Debian's nodejs comes without npm; NodeSource's includes it (and conflicts
# with Debian's npm package), so ask for npm only when there is none.
command -v npm >/dev/null || missing+=(npm)

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  install_browser_test_packages
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
as_root=(env DEBIAN_FRONTEND=noninteractive)
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: not root and no sudo; install: ${missing[*]}" >&2; exit 1; }
  as_root=(sudo env DEBIAN_FRONTEND=noninteractive)
fi
"${as_root[@]}" apt-get update
"${as_root[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
install_browser_test_packages
