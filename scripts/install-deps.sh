#!/usr/bin/env bash
# Installs every Debian package govtrack's build, demo and tests need. Idempotent: packages already
# present are not touched and apt-get runs only when something is missing.
# Usage: scripts/install-deps.sh            (as root, or with sudo available)
set -euo pipefail

PACKAGES=(
  # build
  cmake g++ make pkg-config
  libpoco-dev              # Net, Util, Data + SQLite, Crypto, NetSSL (SPEC stack)
  nlohmann-json3-dev
  libhowardhinnant-date-dev tzdata   # organisation time zone (Europe/London) from the system tz database
  libsqlite3-dev
  libmysqlcppconn-dev      # MySQL Connector/C++ 1.1: the MariaDB/MySQL store (storage_mysql)
  libxlsxwriter-dev        # XLSX exports (tracker, follow-up report)
  libargon2-dev            # Argon2id password hashes (sign-in)
  # tests and tools
  libgtest-dev
  mariadb-server mariadb-client   # the throwaway MariaDB scripts/test.sh starts (scripts/mariadb-test.sh)
  sqlite3                  # benchmark baseline and inspection
  python3                  # benchmark data generator (stdlib only)
  libboost-dev             # Boost.Asio: the reminder scheduler inside serve (header-only)
  python3-aiosmtpd         # the real local SMTP server scripts/test.sh starts for the reminder tests
  python3-icalendar        # an independent RFC 5545 parser the iCalendar feed tests use (/usr/bin/python3)
  chromium                 # the browser the web UI tests drive (tests/browser, playwright-core)
)
# node and npm build the web UI's assets (scripts/web-build.sh): Debian's packages unless a node with npm
# is already installed (a machine may carry another packaging of them; installing Debian's would conflict).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  PACKAGES+=(nodejs npm)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-deps: run as root (missing: ${missing[*]})" >&2; exit 1; }
  SUDO="sudo"
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
