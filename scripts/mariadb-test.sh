#!/usr/bin/env bash
# A throwaway MariaDB for the tests (STACK.md section 4): its own data directory, no systemd, TCP on
# 127.0.0.1 only, utf8mb4. `--no-defaults` everywhere so /etc/mysql (datadir /var/lib/mysql) is ignored.
# Usage: scripts/mariadb-test.sh start|stop|status|wipe
# Env: MDB_DIR (keep it short: the socket path must stay under 107 characters), MDB_PORT, MDB_DB,
#      MDB_USER, MDB_PASS. The user may use MDB_DB and any database named MDB_DB_* (one per test).
set -euo pipefail
MDB_DIR=${MDB_DIR:-/tmp/govtrack-mdb}
MDB_PORT=${MDB_PORT:-33306}
MDB_DB=${MDB_DB:-govtrack_test}
MDB_USER=${MDB_USER:-govtrack}
MDB_PASS=${MDB_PASS:-govtrack-test-pw}
DATA=$MDB_DIR/data
SOCK=$MDB_DIR/mysqld.sock
PIDF=$MDB_DIR/mysqld.pid
LOG=$MDB_DIR/mysqld.err
CLIENT=(mariadb --no-defaults --protocol=socket --socket="$SOCK" -uroot --default-character-set=utf8mb4)
ADMIN=(mariadb-admin --no-defaults --protocol=socket --socket="$SOCK" -uroot)

start() {
  if [ ${#SOCK} -gt 100 ]; then echo "mariadb-test: MDB_DIR '$MDB_DIR' is too long for a socket path" >&2; exit 1; fi
  mkdir -p "$MDB_DIR"
  if [ -f "$PIDF" ] && kill -0 "$(cat "$PIDF")" 2>/dev/null; then
    echo "mariadb-test: already running (pid $(cat "$PIDF"))"
  else
    if [ ! -d "$DATA/mysql" ]; then
      mariadb-install-db --no-defaults --user="$(id -un)" --datadir="$DATA" \
        --auth-root-authentication-method=socket --skip-test-db >"$MDB_DIR/install-db.log" 2>&1 \
        || { echo "mariadb-test: mariadb-install-db failed; see $MDB_DIR/install-db.log" >&2; exit 1; }
    fi
    mariadbd --no-defaults --user="$(id -un)" --datadir="$DATA" \
      --socket="$SOCK" --pid-file="$PIDF" --log-error="$LOG" \
      --port="$MDB_PORT" --bind-address=127.0.0.1 --skip-name-resolve \
      --character-set-server=utf8mb4 --collation-server=utf8mb4_bin \
      --innodb-buffer-pool-size=64M --innodb-log-file-size=16M \
      --innodb-flush-log-at-trx-commit=2 --max-connections=300 \
      </dev/null >/dev/null 2>&1 &
    echo $! >"$MDB_DIR/launcher.pid"
    for _ in $(seq 1 300); do           # up to 30 s
      if "${ADMIN[@]}" ping >/dev/null 2>&1; then break; fi
      if ! kill -0 "$(cat "$MDB_DIR/launcher.pid")" 2>/dev/null; then
        echo "mariadb-test: mariadbd died; see $LOG" >&2; tail -20 "$LOG" >&2; exit 1
      fi
      sleep 0.1
    done
    "${ADMIN[@]}" ping >/dev/null
  fi
  "${CLIENT[@]}" <<SQL
CREATE DATABASE IF NOT EXISTS \`$MDB_DB\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
CREATE USER IF NOT EXISTS '$MDB_USER'@'127.0.0.1' IDENTIFIED BY '$MDB_PASS';
CREATE USER IF NOT EXISTS '$MDB_USER'@'localhost' IDENTIFIED BY '$MDB_PASS';
GRANT ALL PRIVILEGES ON \`$MDB_DB\`.* TO '$MDB_USER'@'127.0.0.1';
GRANT ALL PRIVILEGES ON \`$MDB_DB\`.* TO '$MDB_USER'@'localhost';
GRANT ALL PRIVILEGES ON \`${MDB_DB//_/\\_}\\_%\`.* TO '$MDB_USER'@'127.0.0.1';
GRANT ALL PRIVILEGES ON \`${MDB_DB//_/\\_}\\_%\`.* TO '$MDB_USER'@'localhost';
FLUSH PRIVILEGES;
SQL
  echo "mariadb-test: ready: pid $(cat "$PIDF") tcp 127.0.0.1:$MDB_PORT db=$MDB_DB user=$MDB_USER"
}

stop() {
  [ -f "$PIDF" ] || { echo "mariadb-test: not running"; return 0; }
  local pid; pid=$(cat "$PIDF")
  "${ADMIN[@]}" shutdown 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then echo "mariadb-test: still alive, SIGKILL $pid"; kill -KILL "$pid"; fi
  rm -f "$PIDF"
  echo "mariadb-test: stopped (pid $pid)"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) "${ADMIN[@]}" status ;;
  wipe) stop; rm -rf "$MDB_DIR" ;;
  *) echo "usage: $0 start|stop|status|wipe" >&2; exit 2 ;;
esac
