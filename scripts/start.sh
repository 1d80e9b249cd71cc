#!/usr/bin/env bash
# `npm start`: installs/caches the tools once, builds the web UI when its sources changed, then
# starts the whole platform (see scripts/platform.ts).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/install-tools.sh
# Node 24 from install-tools.sh first on PATH for everything below.
source scripts/use-node.sh
# The adviser web UI (ui/ -> ui/dist, served by the API at /ui/); skipped when up to date.
bash ui/build.sh
exec npx tsx scripts/platform.ts
