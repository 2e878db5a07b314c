#!/usr/bin/env bash
# Runs ProcedureEngine's main job: `procedure-engine serve` on the embedded SQLite store.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# The web pages (designer/, TypeScript + Vite) are built into designer/dist when their sources changed.
source scripts/web.sh
pe_web_build
exec dotnet run --project host/ProcedureEngine.Host -c Release -- serve "$@"
