#!/usr/bin/env bash
# Temporal on PostgreSQL, optional (development and benchmarks; production: docker-compose.yml).
#
#   bash scripts/temporal-postgres.sh build   builds (once) the Temporal server and its schema tool
#                                             from the Go module proxy and links .tools/temporal-server
#   bash scripts/temporal-postgres.sh start   build, then run it (scripts/temporal-postgres.ts):
#                                             embedded PostgreSQL or TEMPORAL_POSTGRES_URL, namespace
#                                             `default`, frontend on TEMPORAL_PORT (7233)
#
# The build: `go install go.temporal.io/server/cmd/server@v$VERSION` and `.../cmd/tools/sql@v$VERSION`
# (the server version the pinned Temporal CLI's dev server embeds, `temporal --version`), renamed
# temporal-server and temporal-sql-tool, cached in $DOSSIERFLOW_CACHE (default ~/.cache/dossierflow)
# like scripts/install-tools.sh caches the CLI. Takes several minutes and ~1 GB of module
# downloads the first time; a second run only checks and prints "ok".
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

VERSION="1.29.1"   # = TEMPORAL_SERVER_VERSION of integrations/temporal/postgres-server.ts
CACHE="${DOSSIERFLOW_CACHE:-$HOME/.cache/dossierflow}"
DIR="$CACHE/temporal-server-v$VERSION"
LINK="$ROOT/.tools/temporal-server"

say()  { printf '[temporal-postgres] %s\n' "$*"; }
fail() { printf '\n[temporal-postgres] ERROR: %s\n\n' "$*" >&2; exit 1; }

build() {
  mkdir -p "$CACHE" "$ROOT/.tools"
  if [ -x "$DIR/temporal-server" ] && [ -x "$DIR/temporal-sql-tool" ]; then
    say "Temporal server $VERSION cached: $DIR"
  else
    command -v go >/dev/null 2>&1 || fail "Go is needed to build the Temporal server (go install go.temporal.io/server/cmd/server@v$VERSION) but 'go' is not on PATH"
    mkdir -p "$DIR"
    (
      # One build at a time per cache (a second caller waits for the first).
      if command -v flock >/dev/null 2>&1; then exec 9>"$DIR/.build.lock"; flock 9; fi
      if [ ! -x "$DIR/temporal-server" ] || [ ! -x "$DIR/temporal-sql-tool" ]; then
        say "building Temporal server $VERSION and temporal-sql-tool with go install (first time only, takes several minutes)..."
        rm -rf "$DIR.partial" && mkdir -p "$DIR.partial"
        GOBIN="$DIR.partial" go install "go.temporal.io/server/cmd/server@v$VERSION" "go.temporal.io/server/cmd/tools/sql@v$VERSION"
        mv "$DIR.partial/sql" "$DIR/temporal-sql-tool"
        mv "$DIR.partial/server" "$DIR/temporal-server"
        rm -rf "$DIR.partial"
      fi
    ) || fail "go install go.temporal.io/server/cmd/server@v$VERSION failed (see the output above)"
    say "built $DIR"
  fi
  got="$("$DIR/temporal-server" --version 2>&1 || true)"
  case "$got" in *"$VERSION"*) ;; *) fail "$DIR/temporal-server --version says '$got', expected $VERSION" ;; esac
  ln -sfn "$DIR" "$LINK"
  say "ok: $LINK -> $DIR ($got)"
}

case "${1:-start}" in
  build) build ;;
  start)
    build
    # shellcheck source=/dev/null
    source "$ROOT/scripts/use-node.sh"
    exec node --import tsx "$ROOT/scripts/temporal-postgres.ts"
    ;;
  *) fail "usage: bash scripts/temporal-postgres.sh [build|start]" ;;
esac
