#!/usr/bin/env bash
# Runs every test of ProcedureEngine: unit, scenario, CLI and PostgreSQL integration tests.
# Starts a throwaway PostgreSQL server itself (installing Debian's package if missing).
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
source scripts/postgres.sh
pe_pg_start

# The designer's browser tests drive Debian's Chromium (no browser download).
if ! command -v chromium >/dev/null 2>&1; then
  echo "test.sh: installing Debian's chromium for the designer's browser tests" >&2
  sudo_=""; [ "$(id -u)" = 0 ] || sudo_=sudo
  $sudo_ apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq chromium >/dev/null \
    || { echo "test.sh: could not install chromium" >&2; exit 1; }
fi
export PE_CHROMIUM="$(command -v chromium)"
trap pe_pg_stop EXIT

# JSON Schema checker (node + ajv) used by the definitions tests to prove schema and validator agree.
(cd tests/schema-check && npm ci --no-audit --no-fund --loglevel=error)

# The web pages the browser tests drive (designer/ -> designer/dist), built before the host copies them.
source scripts/web.sh
PE_WEB_REBUILD=1 pe_web_build

dotnet build ProcedureEngine.sln -c Release -nologo -v quiet
log=$(mktemp)
set +e
dotnet test ProcedureEngine.sln -c Release --no-build -nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One closing line for CI: totals over every test project.
awk '/^(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' FS='[ ,]+' "$log"
rm -f "$log"
exit "$status"
