# A throw-away PostgreSQL server from Debian's packages, for the tests and the benchmarks.
# Source this file, then: start_pg DIR [-c name=value ...]  (sets PG_URL), stop_pg DIR.
# DIR's parent must be reachable by the postgres user when running as root.

pg_bin() { dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n1)"; }

as_pg() { # runs a PostgreSQL tool as the postgres user when we are root (initdb refuses root)
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_pg() {
  local dir=$1; shift
  local bin port
  bin=$(pg_bin)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown -R postgres "$dir"
  as_pg "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $*" start >/dev/null
  PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
}

stop_pg() {
  as_pg "$(pg_bin)/pg_ctl" -D "$1/data" -m immediate stop >/dev/null 2>&1 || true
}
