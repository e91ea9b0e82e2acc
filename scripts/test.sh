#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, and runs every test suite through ctest:
# unit, SQLite store (real files), HTTP (real server on an ephemeral port), end-to-end (the binary).
# Services the suites need (MariaDB, a real SMTP server, Chromium for the web UI) are started here and stopped on exit.
# Usage: scripts/test.sh [ctest args...]
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh   # includes Debian chromium for the browser tests
scripts/web-build.sh      # npm ci (chart.js, playwright-core) and webroot/vendor/
# -U: an old build tree's cached suite list would silently leave new suites out.
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Debug -DGOVTRACK_WERROR=ON -DGOVTRACK_BUILD_TESTS=ON \
  -UGOVTRACK_TEST_SUITES >/dev/null
cmake --build build-test -j"$(nproc)"

# A throwaway MariaDB (scripts/mariadb-test.sh) for the storage contract suite, the MariaDB fault tests and
# the end-to-end tests: always started, so no MariaDB test is ever skipped here. Stopped and wiped on exit,
# whether the tests pass or fail.
MDB_DIR="$PWD/build-test/mdb"
if [ ${#MDB_DIR} -gt 80 ]; then MDB_DIR="/tmp/govtrack-mdb-$$"; fi   # the socket path must stay short
MDB_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export MDB_DIR MDB_PORT MDB_DB=govtrack_test MDB_USER=govtrack MDB_PASS="test-$RANDOM-$RANDOM"
MARIADB="$PWD/scripts/mariadb-test.sh"
"$MARIADB" wipe >/dev/null 2>&1 || true
SMTP_PID=""
SMTP_DIR=$(mktemp -d)   # the Maildir the local SMTP server writes, wiped on exit
cleanup() {
  "$MARIADB" wipe >/dev/null 2>&1 || true
  if [ -n "$SMTP_PID" ]; then kill "$SMTP_PID" 2>/dev/null || true; wait "$SMTP_PID" 2>/dev/null || true; fi
  rm -rf "$SMTP_DIR"
}
trap cleanup EXIT
"$MARIADB" start

# A real local SMTP server (Debian python3-aiosmtpd; /usr/bin/python3, not a pyenv shim) for the reminder
# tests: every mail it receives is written to a Maildir the tests read ($GOVTRACK_TEST_MAILDIR/new/).
SMTP_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
/usr/bin/python3 -u -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$SMTP_DIR/maildir" \
  >"$SMTP_DIR/smtp.log" 2>&1 &
SMTP_PID=$!
for _ in $(seq 1 50); do
  if /usr/bin/python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $SMTP_PORT), 1)" 2>/dev/null; then break; fi
  sleep 0.1
done
export GOVTRACK_TEST_SMTP_PORT="$SMTP_PORT" GOVTRACK_TEST_MAILDIR="$SMTP_DIR/maildir"
export GOVTRACK_TEST_MYSQL_URI="mysql://$MDB_USER@127.0.0.1:$MDB_PORT/$MDB_DB"
export GOVTRACK_DB_PASSWORD="$MDB_PASS"

cd build-test
ctest --output-on-failure --timeout 300 "$@"
