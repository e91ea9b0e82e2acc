#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, and runs every test suite through ctest:
# unit, SQLite store (real files), HTTP (real server on an ephemeral port), end-to-end (the binary).
# Services that later suites need (MariaDB; Chromium for the web UI) are started here and stopped on exit.
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
trap '"$MARIADB" wipe >/dev/null 2>&1 || true' EXIT
"$MARIADB" start
export GOVTRACK_TEST_MYSQL_URI="mysql://$MDB_USER@127.0.0.1:$MDB_PORT/$MDB_DB"
export GOVTRACK_DB_PASSWORD="$MDB_PASS"

cd build-test
ctest --output-on-failure --timeout 300 "$@"
