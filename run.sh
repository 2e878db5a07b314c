#!/usr/bin/env bash
# Runs ProcedureEngine's main job: `procedure-engine serve` on the embedded SQLite store.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# The web pages (designer/, TypeScript + Vite) are built into designer/dist when their sources changed.
source scripts/web.sh
pe_web_build
# A fresh clone has no store yet: say how to open it on a seeded month (PE_DEMO=1 or --demo, see README).
if [ ! -e data/procedure-engine.db ] && [ "${PE_DEMO:-0}" != 1 ] && [[ " $* " != *" --demo "* ]]; then
  echo "run: empty store; for a demo centre with a seeded month of dossiers run ./run.sh --demo (or PE_DEMO=1 ./run.sh)" >&2
fi
exec dotnet run --project host/ProcedureEngine.Host -c Release -- serve "$@"
