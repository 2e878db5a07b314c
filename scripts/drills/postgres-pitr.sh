#!/usr/bin/env bash
# Drill: PostgreSQL base backup + WAL archiving + point-in-time recovery (docs/deploy.md, "Backups"). A `serve` node
# takes receipts on a primary that archives every WAL segment; a base backup is taken while receipts arrive; the
# store is sealed (verify --write-seal) and the instant noted; more receipts follow (the "mistake" to roll back).
# Then a fresh server is restored from the base backup and the archive to the noted instant.
# Shows: every receipt acknowledged before the target is there (lost = 0), none after it is, and
# `verify --seal --read-models` on the recovered server is clean against the seal taken at the target.
# Usage: scripts/drills/postgres-pitr.sh [--workers 2] [--before 60] [--after 30]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
workers=2 before=60 after=30
while [ $# -gt 0 ]; do
  case $1 in
    --workers) workers=$2; shift 2 ;; --before) before=$2; shift 2 ;; --after) after=$2; shift 2 ;;
    *) pe_die "unknown option $1" ;;
  esac
done

pe_need curl jq postgresql
pe_build
pe_pg_drill_setup pitr
primary_port=$(pe_free_port); restored_port=$((primary_port + 1))
trap 'pe_pg_drill_cleanup primary restored' EXIT

pe_say "primary on $primary_port archiving WAL to $PE_WORK/wal"
"${run[@]}" mkdir -p "$PE_WORK/wal"
"${run[@]}" "$bin/initdb" -D "$PE_WORK/primary" -U postgres -A trust -E UTF8 --no-locale >/dev/null
cat >>"$PE_WORK/primary/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $primary_port
unix_socket_directories = '$PE_WORK'
max_connections = 100
wal_level = replica
archive_mode = on
archive_command = 'test ! -f $PE_WORK/wal/%f && cp %p $PE_WORK/wal/%f'
archive_timeout = 60
CONF
echo "host replication postgres 127.0.0.1/32 trust" >>"$PE_WORK/primary/pg_hba.conf"
"${run[@]}" "$bin/pg_ctl" -D "$PE_WORK/primary" -l "$PE_WORK/primary.log" -w start >/dev/null
primary_uri="postgresql://postgres@127.0.0.1:$primary_port/postgres"
conn="Host=127.0.0.1;Port=$primary_port;Username=postgres;Database=postgres;Maximum Pool Size=30"
(cd "$PE_ROOT" && pe migrate --store postgres --connection "$conn" >/dev/null)
token=$(cd "$PE_ROOT" && pe users add drill-officer --role officer --agency one-stop --users "$PE_WORK/users.yaml" | sed -n 's/^token.*: //p')
port=$(pe_free_port)
pe_node_start n1 "$port" "$conn" --sweep-seconds 5
pe_wait_ready "http://127.0.0.1:$port" 120 || pe_die "node not ready"
pe_warm_up "http://127.0.0.1:$port" "$token"

# Receipts before the target, with the base backup taken while they arrive.
pe_load "$workers" "$before" "http://127.0.0.1:$port" "$token" "$PE_WORK/before.tsv" &
load=$!
for _ in $(seq 1 600); do [ "$(wc -l <"$PE_WORK/before.tsv")" -ge $((workers * before / 3)) ] && break; sleep 0.1; done
backup_started=$(pe_now_ms)
"${run[@]}" "$bin/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U postgres -D "$PE_WORK/base" -Fp -X stream --checkpoint=fast >/dev/null
backup_ms=$(( $(pe_now_ms) - backup_started ))
during_backup=$(wc -l <"$PE_WORK/before.tsv")
wait "$load"

# The target: the store sealed and the instant noted (the database's own clock), then a second apart the receipts to roll back.
(cd "$PE_ROOT" && pe verify --write-seal "$PE_WORK/seal.json" --store postgres --connection "$conn" >/dev/null) || pe_die "seal"
target=$(pe_psql "$primary_uri" "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'")
sleep 1
# (in a subshell: pe_load's `wait` must wait for its own workers only, not for the serve node started above)
pe_load "$workers" "$after" "http://127.0.0.1:$port" "$token" "$PE_WORK/after.tsv" &
wait $!
pe_psql "$primary_uri" "SELECT pg_switch_wal()" >/dev/null
for _ in $(seq 1 100); do
  last=$(pe_psql "$primary_uri" "SELECT last_archived_wal FROM pg_stat_archiver")
  current=$(pe_psql "$primary_uri" "SELECT pg_walfile_name(pg_current_wal_lsn())")
  [ -n "$last" ] && [[ "$last" < "$current" ]] && break
  sleep 0.1
done
pe_stop_all
"${run[@]}" "$bin/pg_ctl" -D "$PE_WORK/primary" -m fast -w stop >/dev/null

# A fresh server from the base backup, replaying the archive up to the target.
pe_say "restoring to $target on port $restored_port"
"${run[@]}" cp -a "$PE_WORK/base" "$PE_WORK/restored"
sed -i "s/^port = .*/port = $restored_port/" "$PE_WORK/restored/postgresql.conf"
sed -i "/^archive_mode/d;/^archive_command/d" "$PE_WORK/restored/postgresql.conf"
cat >>"$PE_WORK/restored/postgresql.conf" <<CONF
restore_command = 'cp $PE_WORK/wal/%f %p'
recovery_target_time = '$target'
recovery_target_action = 'promote'
CONF
"${run[@]}" touch "$PE_WORK/restored/recovery.signal"
restore_started=$(pe_now_ms)
"${run[@]}" "$bin/pg_ctl" -D "$PE_WORK/restored" -l "$PE_WORK/restored.log" -w -t 300 start >/dev/null || { tail -20 "$PE_WORK/restored.log"; pe_die "restored server did not start"; }
restored_uri="postgresql://postgres@127.0.0.1:$restored_port/postgres"
for _ in $(seq 1 600); do [ "$(pe_psql "$restored_uri" "SELECT pg_is_in_recovery()" 2>/dev/null || true)" = f ] && break; sleep 0.2; done
[ "$(pe_psql "$restored_uri" "SELECT pg_is_in_recovery()")" = f ] || pe_die "the restored server is still in recovery"
restore_ms=$(( $(pe_now_ms) - restore_started ))

pe_check_receipts "$PE_WORK/before.tsv" "$restored_uri"
lost=$PE_LOST
cut -f2 "$PE_WORK/after.tsv" | sort -u >"$PE_WORK/after.ids"
rolled_back=$(comm -23 "$PE_WORK/after.ids" "$PE_WORK/stored.ids" | wc -l)
after_acked=$(wc -l <"$PE_WORK/after.tsv")
verify_out=$(cd "$PE_ROOT" && pe verify --seal "$PE_WORK/seal.json" --read-models --store postgres \
  --connection "Host=127.0.0.1;Port=$restored_port;Username=postgres;Database=postgres" 2>&1) && verify=clean || verify="FINDINGS"

cat <<REPORT
PostgreSQL point-in-time recovery drill ($(date -u +%F), $(nproc) cores; base backup + archived WAL, one serve node)
  receipts before the target: $PE_ACKED acknowledged ($during_backup when the base backup started, taken in $backup_ms ms under load)
  recovery target: $target (the seal written just before it)
  receipts after the target: $after_acked acknowledged, $rolled_back absent from the recovered server (all should be)
  lost (acknowledged before the target, absent after recovery): $lost; duplicates: $PE_DUPLICATES
  restore (start, WAL replay to the target, promotion): $restore_ms ms
  verify --seal --read-models on the recovered server: $verify
REPORT
[ "$verify" = clean ] || echo "$verify_out" | tail -20
[ "$lost" = 0 ] && [ "$rolled_back" = "$after_acked" ] && [ "$PE_DUPLICATES" = 0 ] && [ "$verify" = clean ] \
  || pe_die "the drill's bar was not met (work files in $PE_WORK)"
