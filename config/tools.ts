/**
 * Paths of the external tools installed by `scripts/install-tools.sh`, read from
 * `.tools/tools.env`. Environment variables (TEMPORAL_CLI, TEMPORAL_TEST_SERVER, DOCKER_COMPOSE)
 * win. These are tool locations of this machine, not platform settings: they stay out of the
 * validated `Settings` (config/settings.ts) but are read here, in config/, like every variable.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from './settings.js';

type Env = Record<string, string | undefined>;

export interface ToolPaths {
  /** The `temporal` CLI (dev server). */
  temporalCli: string;
  /** Wrapper that execs the Java time-skipping test server: `<path> <port> [--enable-time-skipping]`. */
  temporalTestServer: string;
}

export const toolsEnvFile = path.join(projectRoot, '.tools', 'tools.env');

function readToolsEnv(): Record<string, string> {
  if (!existsSync(toolsEnvFile)) return {};
  const out: Record<string, string> = {};
  for (const line of readFileSync(toolsEnvFile, 'utf8').split(/\r?\n/)) {
    const m = /^\s*([A-Z_][A-Z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (m?.[1] && m[2] !== undefined) out[m[1]] = m[2].replace(/^["']|["']$/g, '');
  }
  return out;
}

/**
 * The Docker Compose command that checks docker-compose.yml: `docker compose`, or the path of
 * the pinned standalone build. As argv, ready for spawn.
 */
export function dockerComposeCommand(env: Env = process.env): string[] {
  const value = env.DOCKER_COMPOSE?.trim() || readToolsEnv().DOCKER_COMPOSE;
  if (!value) throw new Error(`DOCKER_COMPOSE is not known: run \`npm run install:tools\` (writes ${toolsEnvFile}) or set DOCKER_COMPOSE`);
  return value === 'docker compose' ? ['docker', 'compose'] : [value];
}

/**
 * The tool paths; throws with a hint to run `npm run install:tools` when one is missing.
 * `env` defaults to `process.env`.
 */
export function toolPaths(env: Env = process.env): ToolPaths {
  const file = readToolsEnv();
  const pick = (name: 'TEMPORAL_CLI' | 'TEMPORAL_TEST_SERVER'): string => {
    const p = env[name]?.trim() || file[name];
    if (!p) {
      throw new Error(`${name} is not known: run \`npm run install:tools\` (writes ${toolsEnvFile}) or set ${name}`);
    }
    const abs = path.resolve(projectRoot, p);
    if (!existsSync(abs)) {
      throw new Error(`${name}=${abs} does not exist: run \`npm run install:tools\``);
    }
    return abs;
  };
  return { temporalCli: pick('TEMPORAL_CLI'), temporalTestServer: pick('TEMPORAL_TEST_SERVER') };
}

/**
 * The time-skipping test server the process designer's dry run starts, never throwing:
 * TEMPORAL_TEST_SERVER, else the one in `.tools/tools.env`, else `.tools/bin/temporal-test-server`
 * (a missing binary is reported when the dry run starts it).
 */
export function temporalTestServerPath(env: Env = process.env): string {
  const p = env.TEMPORAL_TEST_SERVER?.trim() || readToolsEnv().TEMPORAL_TEST_SERVER || path.join('.tools', 'bin', 'temporal-test-server');
  return path.resolve(projectRoot, p);
}

/**
 * The folder with `temporal-server` and `temporal-sql-tool` (Temporal on PostgreSQL, optional):
 * TEMPORAL_SERVER_DIR, else `.tools/temporal-server`, the link `scripts/temporal-postgres.sh
 * build` makes to its cached build. Not checked here: the starter says what is missing.
 */
export function temporalServerDir(env: Env = process.env): string {
  return path.resolve(projectRoot, env.TEMPORAL_SERVER_DIR?.trim() || path.join('.tools', 'temporal-server'));
}
