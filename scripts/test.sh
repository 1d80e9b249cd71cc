#!/usr/bin/env bash
# `npm test`: installs what is missing (once, cached), then lint, type check, the web UI build and
# the whole vitest suite (with the browser tests in test/browser: Chromium via playwright-core).
# The suite starts the servers it needs itself (PostgreSQL, Temporal, SMTP).
# Extra arguments go to vitest, e.g. `npm test -- test/api`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/install-tools.sh
# Node 24 from install-tools.sh first on PATH for everything below.
source scripts/use-node.sh
echo "[test] lint (eslint)"
npx eslint .
echo "[test] type check (tsc)"
npx tsc --noEmit -p tsconfig.json
# The UI build first: it generates the UI's API types (ui/src/generated/api.d.ts) the type check reads.
echo "[test] build the web UI (the browser tests in test/browser drive it)"
bash ui/build.sh
echo "[test] type check of the web UI (tsc -p ui/tsconfig.json)"
npx tsc --noEmit -p ui/tsconfig.json
echo "[test] tests (vitest)"
npx vitest run "$@"
