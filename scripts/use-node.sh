# Node >= 24 first on PATH, so npx, tsx, vitest and every process they spawn (process.execPath)
# run on it: the node chosen by scripts/install-tools.sh (NODE_BIN in .tools/tools.env), else the
# `node` on PATH when it is >= 24.
#   sourced (start.sh, test.sh):      source scripts/use-node.sh
#   as a prefix:                      bash scripts/use-node.sh npm run chaos   (npm, tsx and what they
#                                     spawn then run on Node 24 too: npm and tsx start with `env node`)
use_node_bin="$(sed -n 's/^NODE_BIN=//p' "$(dirname "${BASH_SOURCE[0]}")/../.tools/tools.env" 2>/dev/null || true)"
if [ -z "$use_node_bin" ] || [ ! -x "$use_node_bin" ]; then
  use_node_bin="$(command -v node || true)"
  if [ -z "$use_node_bin" ] || [ "$("$use_node_bin" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)" -lt 24 ]; then
    echo "Node >= 24 is needed (the node on PATH: ${use_node_bin:-none}): run \`bash scripts/install-tools.sh\` (provides it and writes NODE_BIN to .tools/tools.env)" >&2
    exit 1
  fi
fi
export PATH="$(dirname "$use_node_bin"):$PATH"
hash -r
# Under `npm start` / `npm test` npm exported the Node it runs on (the machine's) in these two.
if [ -n "${npm_node_execpath:-}" ]; then export npm_node_execpath="$use_node_bin" NODE="$use_node_bin"; fi
unset use_node_bin
if [ "${BASH_SOURCE[0]}" = "$0" ] && [ $# -gt 0 ]; then exec "$@"; fi
