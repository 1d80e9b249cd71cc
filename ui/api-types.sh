#!/usr/bin/env bash
# The web UI's API types: `ui/src/generated/api.d.ts` (and `.tools/openapi.json`), generated from
# the API's route schemas by scripts/openapi.ts (no servers needed), never committed. Run by
# ui/build.sh and `npm run typecheck:ui`. Regenerated when either file is missing or any
# server-side TypeScript (api/, domain/, services/, ... everything outside ui/, test/, bench/),
# package-lock.json or the generator is newer than the document; FORCE_API_TYPES=1 regenerates
# anyway. api.d.ts is rewritten only when its content changed, so an unchanged API does not make
# ui/build.sh rebuild the UI.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
doc=.tools/openapi.json
types=ui/src/generated/api.d.ts
# One generator at a time (parallel test files or a build beside a type check may ask together).
if command -v flock >/dev/null 2>&1 && [ -z "${API_TYPES_LOCKED:-}" ]; then
  mkdir -p .tools
  exec env API_TYPES_LOCKED=1 flock .tools/api-types.lock bash "$ROOT/ui/api-types.sh" "$@"
fi
if [ "${FORCE_API_TYPES:-0}" != 1 ] && [ -f "$doc" ] && [ -f "$types" ] \
  && [ -z "$(find . \( -path ./node_modules -o -path ./.git -o -path ./.tools -o -path ./.data -o -path ./dist \
      -o -path ./ui -o -path ./test -o -path ./bench -o -path ./coverage -o -path ./test-results \) -prune \
      -o \( -name '*.ts' -o -name package-lock.json \) -newer "$doc" -print -quit 2>/dev/null)" ]; then
  echo "[api-types] $types is up to date"
  exit 0
fi
echo "[api-types] generating $doc and $types from the route schemas (scripts/openapi.ts)"
npx tsx scripts/openapi.ts
