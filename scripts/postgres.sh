#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the tests and exports PE_TEST_POSTGRES.
# Source it: `source scripts/postgres.sh`. Installs Debian's postgresql when missing.
# Fails loudly: PostgreSQL-backed tests never skip silently.

pe_pg_fail() { echo "postgres.sh: $*" >&2; return 1; }

pe_pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

pe_pg_start() {
  local bin
  bin=$(pe_pg_bin)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "postgres.sh: PostgreSQL server not installed; installing Debian's postgresql" >&2
    if [ "$(id -u)" = 0 ]; then
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) || pe_pg_fail "apt-get install postgresql failed" || return 1
    else
      (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) || pe_pg_fail "apt-get install postgresql failed" || return 1
    fi
    bin=$(pe_pg_bin)
  fi
  [ -x "$bin/initdb" ] || { pe_pg_fail "no initdb found under /usr/lib/postgresql"; return 1; }

  PE_PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/pe-pg.XXXXXX")
  local run=()
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$PE_PG_DIR"
    run=(runuser -u postgres --)
  fi
  # A free port: start from a pseudo-random one and probe.
  local port=$((20000 + RANDOM % 20000))
  while (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; do port=$((port + 1)); done

  "${run[@]}" "$bin/initdb" -D "$PE_PG_DIR/data" -U postgres -A trust -E UTF8 --no-locale >"$PE_PG_DIR/initdb.log" 2>&1 \
    || { cat "$PE_PG_DIR/initdb.log" >&2; pe_pg_fail "initdb failed"; return 1; }
  "${run[@]}" "$bin/pg_ctl" -D "$PE_PG_DIR/data" -l "$PE_PG_DIR/server.log" -w -t 60 \
    -o "-p $port -k $PE_PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB" start >/dev/null \
    || { cat "$PE_PG_DIR/server.log" >&2; pe_pg_fail "pg_ctl start failed"; return 1; }
  PE_PG_STOP=("${run[@]}" "$bin/pg_ctl" -D "$PE_PG_DIR/data" -m immediate stop)
  export PE_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=100"
  echo "postgres.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $PE_PG_DIR)" >&2
}

pe_pg_stop() {
  if [ -n "${PE_PG_DIR:-}" ]; then
    "${PE_PG_STOP[@]}" >/dev/null 2>&1 || true
    rm -rf "$PE_PG_DIR"
    PE_PG_DIR=
  fi
}
