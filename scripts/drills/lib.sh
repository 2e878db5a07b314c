#!/usr/bin/env bash
# Shared pieces of the operations drills (scripts/drills/*.sh): the built executable, free loopback ports, serve
# nodes, Debian's haproxy in front of them, a receipt load with idempotency keys, and the checks run afterwards.
# Everything listens on 127.0.0.1 only. Source it from a drill script.

PE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PE_DLL="$PE_ROOT/host/ProcedureEngine.Host/bin/Release/net10.0/procedure-engine.dll"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

pe_say() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
pe_die() { pe_say "FAILED: $*"; exit 1; }
pe_now_ms() { date +%s%3N; }

# Installs what a drill needs from Debian when missing (haproxy, curl, jq, pg_auto_failover).
pe_need() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  pe_say "installing Debian packages: ${missing[*]}"
  local sudo_=""; [ "$(id -u)" = 0 ] || sudo_=sudo
  $sudo_ apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq "${missing[@]}" >/dev/null \
    || pe_die "apt-get install ${missing[*]}"
}

pe_build() {
  if [ "${PE_SKIP_BUILD:-}" != 1 ]; then
    pe_say "building the host (Release)"
    dotnet build "$PE_ROOT/host/ProcedureEngine.Host/ProcedureEngine.Host.csproj" -c Release -nologo -v quiet >/dev/null || pe_die "build"
  fi
  [ -f "$PE_DLL" ] || pe_die "no $PE_DLL"
}

pe() { dotnet "$PE_DLL" "$@"; }

pe_free_port() {
  local port=$((20000 + RANDOM % 30000))
  while (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}

# pe_node_start NAME PORT CONNECTION [extra serve args...]: starts `serve` in the background; pid in $PE_WORK/NAME.pid.
pe_node_start() {
  local name=$1 port=$2 connection=$3; shift 3
  mkdir -p "$PE_WORK/$name"
  (cd "$PE_ROOT" && exec dotnet "$PE_DLL" serve --store postgres --connection "$connection" --urls "http://127.0.0.1:$port" \
      --data "$PE_WORK/$name" --users "$PE_WORK/users.yaml" --node-name "$name" "$@" >"$PE_WORK/$name.log" 2>&1) &
  echo $! >"$PE_WORK/$name.pid"
}

pe_wait_ready() { # URL [seconds]
  local deadline=$(( $(date +%s) + ${2:-90} ))
  until curl -sf -o /dev/null "$1/health/ready"; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.3
  done
}

# pe_haproxy_start PORT BACKEND_PORT...: Debian's haproxy in front of the nodes, checking /health/ready every second.
# A request that meets a dead node (refused connection, empty answer, 502/503) is sent again to another node; its
# Idempotency-Key makes that safe (the node that committed it answers the replay).
pe_haproxy_start() {
  local port=$1; shift
  local cfg="$PE_WORK/haproxy.cfg" i=0
  cat >"$cfg" <<CFG
global
    maxconn 2000
defaults
    mode http
    timeout connect 1s
    timeout client 30s
    timeout server 30s
    timeout check 2s
    retries 5
    option redispatch 1
    retry-on conn-failure empty-response junk-response response-timeout 502 503 504
    option http-buffer-request
frontend procedure_engine
    bind 127.0.0.1:$port
    http-request deny if { path_beg /metrics }
    default_backend nodes
backend nodes
    balance roundrobin
    option httpchk GET /health/ready
    http-check expect status 200
CFG
  for p in "$@"; do
    i=$((i + 1))
    echo "    server n$i 127.0.0.1:$p check inter 1s fall 2 rise 2" >>"$cfg"
  done
  haproxy -c -f "$cfg" >/dev/null || pe_die "haproxy config"
  haproxy -f "$cfg" -db >"$PE_WORK/haproxy.log" 2>&1 &
  echo $! >"$PE_WORK/haproxy.pid"
}

# pe_load WORKERS COUNT URL TOKEN OUT: receipts through URL; each worker sends COUNT receipts, each with its own
# Idempotency-Key, retried with the same key (up to 60 times, 0.25 s apart) until acknowledged with 201.
# OUT gets "key<TAB>dossier id<TAB>acknowledged at (ms)<TAB>attempts"; OUT.failed every failed attempt.
pe_load() {
  local workers=$1 count=$2 url=$3 token=$4 out=$5
  : >"$out"; : >"$out.failed"
  for w in $(seq 1 "$workers"); do pe_load_worker "$w" "$count" "$url" "$token" "$out" & done
  wait
}

pe_load_worker() {
  local w=$1 count=$2 url=$3 token=$4 out=$5 tmp i attempt code key
  tmp=$(mktemp)
  for i in $(seq 1 "$count"); do
    key="drill-$w-$i-$RANDOM$RANDOM"
    for attempt in $(seq 1 60); do
      code=$(curl -s -m 15 -o "$tmp" -w '%{http_code}' -X POST "$url/api/dossiers" \
        -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -H "Idempotency-Key: $key" \
        --data "{\"procedure\":{\"code\":\"1.013233\"},\"applicant\":{\"name\":\"Khách thử $key\",\"phone\":\"0912345678\"},\"documents\":[\"chinh-giay-phep-xay-dung-da\",\"don-de-nghi-gia-han-giay\"]}") || true
      if [ "$code" = 201 ]; then
        printf '%s\t%s\t%s\t%s\n' "$key" "$(jq -r .id "$tmp" || true)" "$(pe_now_ms)" "$attempt" >>"$out"
        break
      fi
      printf '%s\t%s\t%s\n' "$key" "$code" "$(pe_now_ms)" >>"$out.failed"
      sleep 0.25
    done
  done
  rm -f "$tmp"
}

# pe_psql CONNECTION-URI SQL: one value per line, no headers.
pe_psql() { psql "$1" -XAtq -v ON_ERROR_STOP=1 -c "$2"; }

# pe_check_receipts ACKED PSQL_URI: lost (acknowledged but not stored) and duplicated (one key, two dossiers).
pe_check_receipts() {
  local acked=$1 uri=$2
  cut -f2 "$acked" | sort -u >"$PE_WORK/acked.ids"
  pe_psql "$uri" "SELECT stream_id FROM pe_streams" | sort -u >"$PE_WORK/stored.ids"
  PE_LOST=$(comm -23 "$PE_WORK/acked.ids" "$PE_WORK/stored.ids" | wc -l)
  PE_DUPLICATES=$(pe_psql "$uri" "SELECT count(*) FROM (SELECT data->'applicant'->>'name' FROM pe_events WHERE type = 'DossierReceived' AND data->'applicant'->>'name' LIKE 'Khách thử drill-%' GROUP BY 1 HAVING count(*) > 1) d")
  PE_ACKED=$(wc -l <"$acked")
}

# pe_warm_up URL TOKEN: one receipt straight to a node, so its first request's start-up cost stays out of the drill.
pe_warm_up() {
  curl -s -m 120 -o /dev/null -X POST "$1/api/dossiers" -H "Authorization: Bearer $2" -H 'Content-Type: application/json' \
    --data '{"procedure":{"code":"1.013233"},"applicant":{"name":"Khởi động"},"documents":["chinh-giay-phep-xay-dung-da","don-de-nghi-gia-han-giay"]}' || true
}

pe_stop_all() {
  local f
  for f in "$PE_WORK"/*.pid; do
    [ -f "$f" ] || continue
    kill "$(cat "$f")" 2>/dev/null || true
  done
  sleep 1
  for f in "$PE_WORK"/*.pid; do
    [ -f "$f" ] || continue
    kill -9 "$(cat "$f")" 2>/dev/null || true
    rm -f "$f"
  done
}

# pe_pg_drill_setup NAME: a scratch folder for a drill's PostgreSQL clusters. Sets PE_WORK, bin (the newest server's
# binaries) and run (the prefix that runs a command as the postgres user when the drill runs as root; then it owns
# PE_WORK).
pe_pg_drill_setup() {
  PE_WORK=$(mktemp -d "${TMPDIR:-/tmp}/pe-drill-$1.XXXXXX")
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  run=()
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$PE_WORK"; run=(runuser -u postgres --)
  fi
}

# pe_pg_drill_cleanup CLUSTER...: stops the drill's nodes and its clusters (folders under PE_WORK) at once.
pe_pg_drill_cleanup() {
  pe_stop_all
  local cluster
  for cluster in "$@"; do
    "${run[@]}" "$bin/pg_ctl" -D "$PE_WORK/$cluster" -m immediate stop >/dev/null 2>&1 || true
  done
}
