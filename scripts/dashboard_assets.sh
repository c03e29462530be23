#!/usr/bin/env bash
# Fill Solara's asset cache from the npm registry (npm pack), so the classroom dashboard serves every web
# asset itself and works offline. Idempotent: packages already in the cache are skipped. About 95 MB.
# Usage: bash scripts/dashboard_assets.sh [PYTHON]   (default: the project's .venv)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py="${1:-$root/.venv/bin/python}"
if ! command -v npm >/dev/null; then
    echo "dashboard_assets: npm not found; install Node.js and npm (Debian: apt-get install npm)" >&2
    exit 1
fi
cache="$("$py" -c 'from ygt_abm.dashboard.assets import cache_dir; print(cache_dir())')"
mapfile -t missing < <("$py" -c 'from ygt_abm.dashboard.assets import missing_assets; print("\n".join(missing_assets()))')
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for spec in "${missing[@]}"; do
    [ -n "$spec" ] || continue
    echo "dashboard_assets: $spec → $cache/$spec"
    (cd "$tmp" && npm pack --silent "$spec" > name.txt)
    mkdir -p "$cache/$spec.partial"
    tar -xzf "$tmp/$(cat "$tmp/name.txt")" -C "$cache/$spec.partial" --strip-components=1
    rm -rf "${cache:?}/$spec"
    mv "$cache/$spec.partial" "$cache/$spec"  # complete or absent, never half there
    rm -f "$tmp"/*.tgz
done
