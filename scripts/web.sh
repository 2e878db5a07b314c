# Builds the front end (designer/: TypeScript + Vite) into designer/dist, which the host serves.
# Sourced by run.sh and test.sh: `pe_web_build` installs the locked npm packages and builds when the sources
# changed since the last build (or always with PE_WEB_REBUILD=1).
pe_web_build() {
  local root dir stamp
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  dir="$root/designer"
  stamp="$dir/dist/.built"
  if ! command -v npm >/dev/null 2>&1; then
    echo "web: installing Debian's nodejs and npm to build the front end" >&2
    local sudo_=""; [ "$(id -u)" = 0 ] || sudo_=sudo
    $sudo_ apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq nodejs npm >/dev/null \
      || { echo "web: could not install nodejs/npm" >&2; return 1; }
  fi
  if [ "${PE_WEB_REBUILD:-0}" != 1 ] && [ -f "$stamp" ] && [ -d "$dir/node_modules" ] \
     && [ -z "$(find "$dir/src" "$dir/package.json" "$dir/package-lock.json" "$dir/vite.config.ts" "$dir/tsconfig.json" \
                     "$root/definitions/schema" -newer "$stamp" -print -quit)" ]; then
    return 0
  fi
  echo "web: building the front end (designer/ -> designer/dist)" >&2
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent) || { echo "web: build failed" >&2; return 1; }
  touch "$stamp"
}
