#!/usr/bin/env bash
# `npm run build:ui`: builds the adviser web UI (ui/) with Vite into ui/dist, which the API
# serves at /ui/. First the UI's API types (ui/api-types.sh: ui/src/generated/api.d.ts from the
# OpenAPI document, regenerated when the API's sources changed). Skipped when ui/dist is newer
# than every source of the UI, the generated types included (a cheap mtime check, so a second
# `npm start` is fast); FORCE_UI_BUILD=1 rebuilds anyway.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
stamp=ui/dist/index.html
# One build at a time (parallel test files may ask together); the second then finds it up to date.
if command -v flock >/dev/null 2>&1 && [ -z "${UI_BUILD_LOCKED:-}" ]; then
  mkdir -p .tools
  exec env UI_BUILD_LOCKED=1 flock .tools/ui-build.lock bash "$ROOT/ui/build.sh" "$@"
fi
# The API types the UI is written against; api.d.ts changes (and so the UI rebuilds) only when the API's do.
bash ui/api-types.sh
if [ "${FORCE_UI_BUILD:-0}" != 1 ] && [ -f "$stamp" ] \
  && [ -z "$(find ui/src ui/index.html ui/vite.config.ts package-lock.json -newer "$stamp" -print -quit 2>/dev/null)" ]; then
  echo "[build:ui] ui/dist is up to date"
  exit 0
fi
echo "[build:ui] building the web UI (vite build) into ui/dist"
npx vite build --config ui/vite.config.ts
# vite keeps index.html's mtime from the build start; touch it so the check above sees the build.
touch "$stamp"
