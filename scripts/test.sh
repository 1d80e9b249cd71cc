#!/usr/bin/env bash
# `npm test`: installs what is missing (once, cached), then lint, type check and the whole
# vitest suite. The suite starts the servers it needs itself (PostgreSQL, Temporal, SMTP).
# Extra arguments go to vitest, e.g. `npm test -- test/api`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/install-tools.sh
echo "[test] lint (eslint)"
npx eslint .
echo "[test] type check (tsc)"
npx tsc --noEmit -p tsconfig.json
echo "[test] tests (vitest)"
npx vitest run "$@"
