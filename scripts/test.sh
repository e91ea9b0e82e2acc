#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, and runs every test suite through ctest:
# unit, SQLite store (real files), HTTP (real server on an ephemeral port), end-to-end (the binary).
# Services that later suites need (MariaDB, SMTP, Chromium) are started here and stopped on exit.
# Usage: scripts/test.sh [ctest args...]
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Debug -DGOVTRACK_WERROR=ON -DGOVTRACK_BUILD_TESTS=ON >/dev/null
cmake --build build-test -j"$(nproc)"

cd build-test
ctest --output-on-failure --timeout 300 "$@"
