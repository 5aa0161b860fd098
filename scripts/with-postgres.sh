#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster: initdb into a temporary directory, start it on a
# free loopback port, export DATABASE_URL, run "$@", then stop the cluster and remove it — whatever happens.
# PostgreSQL refuses to run as root, so as root the cluster runs as the 'postgres' system user.
set -euo pipefail

find_bin() {
  local name=$1
  if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return; fi
  local candidate
  for candidate in /usr/lib/postgresql/*/bin/"$name"; do
    [ -x "$candidate" ] && { echo "$candidate"; return; }
  done
  echo "with-postgres: '$name' not found; install PostgreSQL (apt-get install postgresql)" >&2
  exit 2
}

INITDB=$(find_bin initdb)
PG_CTL=$(find_bin pg_ctl)

as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

base=$(mktemp -d /tmp/liuhen-pg.XXXXXX)
chmod 755 "$base"
[ "$(id -u)" = 0 ] && chown postgres "$base"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')

cleanup() {
  as_owner "$PG_CTL" -D "$base/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$base"
}
trap cleanup EXIT INT TERM

# Tests need no durability; a benchmark (LIUHEN_PG_DURABLE=1) measures a server as it would run.
if [ "${LIUHEN_PG_DURABLE:-0}" = 1 ]; then
  durability=""
else
  durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
fi

as_owner "$INITDB" -D "$base/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$base/initdb.log" 2>&1 \
  || { cat "$base/initdb.log" >&2; exit 1; }
as_owner "$PG_CTL" -D "$base/data" -l "$base/server.log" -w -t 60 \
  -o "-h 127.0.0.1 -p $port -k $base $durability -c max_connections=100" \
  start >/dev/null || { cat "$base/server.log" >&2; exit 1; }

as_owner "$(find_bin createdb)" -h 127.0.0.1 -p "$port" -U postgres liuhen  # for programs run against it
export DATABASE_URL="postgresql://postgres@127.0.0.1:$port/liuhen"
echo "with-postgres: throwaway PostgreSQL at 127.0.0.1:$port ($("$PG_CTL" --version))"
set +e
"$@"
status=$?
set -e
exit $status
