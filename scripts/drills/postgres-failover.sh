#!/usr/bin/env bash
# Drill: PostgreSQL primary + synchronous standby (streaming replication, synchronous_commit = remote_apply), two
# `serve` nodes behind Debian's haproxy connecting with a multi-host connection string (Target Session
# Attributes=primary). Under a receipt load through the proxy, the primary is killed (kill -9 of its postmaster) and
# the standby promoted by this script (the step a failover manager such as pg_auto_failover's monitor takes).
# Shows: acknowledged receipts lost = 0, duplicates = 0, time until receipts succeed again, hash chains and read
# models clean on the promoted server (verify --read-models), and the scheduler cluster sweeping again.
# Usage: scripts/drills/postgres-failover.sh [--workers 3] [--receipts 150] [--promote-after 2]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
workers=3 receipts=150 promote_after=2
while [ $# -gt 0 ]; do
  case $1 in
    --workers) workers=$2; shift 2 ;; --receipts) receipts=$2; shift 2 ;; --promote-after) promote_after=$2; shift 2 ;;
    *) pe_die "unknown option $1" ;;
  esac
done

pe_need haproxy curl jq postgresql
pe_build
pe_pg_drill_setup pg
primary_port=$(pe_free_port); standby_port=$((primary_port + 1))
trap 'pe_pg_drill_cleanup primary standby' EXIT

pe_say "primary on $primary_port, synchronous standby on $standby_port (loopback only)"
"${run[@]}" "$bin/initdb" -D "$PE_WORK/primary" -U postgres -A trust -E UTF8 --no-locale >/dev/null
cat >>"$PE_WORK/primary/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $primary_port
unix_socket_directories = '$PE_WORK'
max_connections = 200
wal_level = replica
max_wal_senders = 5
hot_standby = on
synchronous_commit = remote_apply
synchronous_standby_names = 'FIRST 1 (standby)'
wal_log_hints = on
CONF
echo "host replication postgres 127.0.0.1/32 trust" >>"$PE_WORK/primary/pg_hba.conf"
"${run[@]}" "$bin/pg_ctl" -D "$PE_WORK/primary" -l "$PE_WORK/primary.log" -w start >/dev/null
"${run[@]}" "$bin/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U postgres -D "$PE_WORK/standby" -R -X stream >/dev/null
sed -i "s/^port = .*/port = $standby_port/" "$PE_WORK/standby/postgresql.conf"
echo "primary_conninfo = 'host=127.0.0.1 port=$primary_port user=postgres application_name=standby'" >>"$PE_WORK/standby/postgresql.auto.conf"
"${run[@]}" "$bin/pg_ctl" -D "$PE_WORK/standby" -l "$PE_WORK/standby.log" -w start >/dev/null
primary_uri="postgresql://postgres@127.0.0.1:$primary_port/postgres"
standby_uri="postgresql://postgres@127.0.0.1:$standby_port/postgres"
for _ in $(seq 1 100); do [ "$(pe_psql "$primary_uri" "SELECT sync_state FROM pg_stat_replication" || true)" = sync ] && break; sleep 0.1; done
[ "$(pe_psql "$primary_uri" "SELECT sync_state FROM pg_stat_replication")" = sync ] || pe_die "standby not synchronous"

conn="Host=127.0.0.1:$primary_port,127.0.0.1:$standby_port;Username=postgres;Database=postgres;Target Session Attributes=primary;Host Recheck Seconds=1;Timeout=3;Command Timeout=10;Maximum Pool Size=50"
(cd "$PE_ROOT" && pe migrate --store postgres --connection "$conn" >/dev/null)
token=$(cd "$PE_ROOT" && pe users add drill-officer --role officer --agency one-stop --users "$PE_WORK/users.yaml" | sed -n 's/^token.*: //p')
ports=()
for n in 1 2; do
  p=$(pe_free_port); ports+=("$p")
  pe_node_start "n$n" "$p" "$conn" --sweep-seconds 2 --cluster-checkin-seconds 2
done
for p in "${ports[@]}"; do pe_wait_ready "http://127.0.0.1:$p" 120 || pe_die "node on $p not ready"; done
for p in "${ports[@]}"; do pe_warm_up "http://127.0.0.1:$p" "$token"; done
proxy=$(pe_free_port)
pe_haproxy_start "$proxy" "${ports[@]}"
pe_wait_ready "http://127.0.0.1:$proxy" 30 || pe_die "haproxy not ready"

started=$(pe_now_ms)
pe_load "$workers" "$receipts" "http://127.0.0.1:$proxy" "$token" "$PE_WORK/acked.tsv" &
load=$!
total=$((workers * receipts))
for _ in $(seq 1 600); do [ "$(wc -l <"$PE_WORK/acked.tsv")" -ge $((total / 3)) ] && break; sleep 0.1; done
before_kill=$(wc -l <"$PE_WORK/acked.tsv")
killed_at=$(pe_now_ms)
kill -9 "$(head -1 "$PE_WORK/primary/postmaster.pid")"
pe_say "kill -9 of the primary's postmaster after $before_kill acknowledged receipts; promoting the standby in $promote_after s"
sleep "$promote_after"
"${run[@]}" "$bin/pg_ctl" -D "$PE_WORK/standby" -w promote >/dev/null
# The promoted server inherited synchronous_standby_names from the primary: with no standby left every commit would
# wait for one forever. Until a new standby is attached it runs alone (what pg_auto_failover does on its own).
pe_psql "$standby_uri" "ALTER SYSTEM SET synchronous_standby_names = ''" >/dev/null
pe_psql "$standby_uri" "SELECT pg_reload_conf()" >/dev/null
promoted_at=$(pe_now_ms)
wait "$load"
finished=$(pe_now_ms)

# Time to recovery: the longest stretch without an acknowledgement (a request in flight at the kill may still be
# answered just after it), and the first acknowledgement after the promotion.
recovery=$(cut -f3 "$PE_WORK/acked.tsv" | sort -n | awk 'NR > 1 && $1 - p > m { m = $1 - p } { p = $1 } END { print m + 0 }')
first_after=$(awk -F'\t' -v k="$promoted_at" '$3 > k { print $3 }' "$PE_WORK/acked.tsv" | sort -n | head -1)
pe_check_receipts "$PE_WORK/acked.tsv" "$standby_uri"
failed_attempts=$(wc -l <"$PE_WORK/acked.tsv.failed")
c1=$(pe_psql "$standby_uri" "SELECT COALESCE(max(last_checkin_time), 0) FROM qrtz_scheduler_state")
sleep 6
c2=$(pe_psql "$standby_uri" "SELECT COALESCE(max(last_checkin_time), 0) FROM qrtz_scheduler_state")
checkins=$( [ "$c2" -gt "$c1" ] && echo "yes ($(pe_psql "$standby_uri" "SELECT count(*) FROM qrtz_scheduler_state") node(s) registered)" || echo "NO")
verify_out=$(cd "$PE_ROOT" && pe verify --read-models --store postgres --connection "Host=127.0.0.1;Port=$standby_port;Username=postgres;Database=postgres" 2>&1) && verify=clean || verify="FINDINGS"

cat <<REPORT
PostgreSQL failover drill ($(date -u +%F), $(nproc) cores; primary + synchronous standby (remote_apply), 2 nodes behind haproxy)
  receipts acknowledged: $PE_ACKED of $total in $(( (finished - started) / 1000 )) s; lost: $PE_LOST; duplicates: $PE_DUPLICATES
  primary killed after $before_kill receipts; standby promoted $(( (promoted_at - killed_at) )) ms after the kill
  time without a receipt acknowledged: $recovery ms (first acknowledgement $(( ${first_after:-0} - promoted_at )) ms after the promotion)
  failed attempts seen by clients (retried with the same key): $failed_attempts
  scheduler cluster checking in on the promoted server: $checkins
  verify --read-models on the promoted server: $verify
REPORT
[ "$verify" = clean ] || echo "$verify_out" | tail -20
[ "$PE_LOST" = 0 ] && [ "$PE_DUPLICATES" = 0 ] && [ "$verify" = clean ] || pe_die "the drill's bar was not met (work files in $PE_WORK)"
