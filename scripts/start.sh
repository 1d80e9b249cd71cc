#!/usr/bin/env bash
# `npm start`: installs/caches the tools once, then starts the whole platform (see scripts/platform.ts).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/install-tools.sh
exec npx tsx scripts/platform.ts
