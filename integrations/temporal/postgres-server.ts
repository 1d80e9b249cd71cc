/**
 * Runs a Temporal server that persists in PostgreSQL (`temporal-server` and `temporal-sql-tool`
 * of go.temporal.io/server, built from the Go module proxy by `scripts/temporal-postgres.sh`)
 * as a child process: one cluster, all four services (frontend, history, matching, worker) in
 * one process, the `postgres12` persistence plugin for the executions store and for visibility.
 *
 * Before it starts, the two databases (default `temporal` and `temporal_visibility`) are created
 * when missing and their schemas set up or updated with `temporal-sql-tool` (the schemas are
 * embedded in the tool). The config is written into `dataDir` on every start (free ports are
 * picked for the services' gRPC and membership ports); then the namespace is registered when
 * missing. This is the development/benchmark path; production runs Temporal as in
 * docker-compose.yml (or Temporal Cloud).
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common';
import { freePort, isPortFree } from '../../config/ports.js';
import { spawnServerProcess } from './server-process.js';

/** The server version built by scripts/temporal-postgres.sh: the one the pinned CLI's dev server embeds. */
export const TEMPORAL_SERVER_VERSION = '1.29.1';

export interface PostgresServerOptions {
  /** Folder with `temporal-server` and `temporal-sql-tool` (see `temporalServerDir()` of config/tools). */
  binDir: string;
  /** The PostgreSQL server Temporal persists in (a user that may create databases). */
  postgres: { host: string; port: number; user: string; password: string };
  /** Database names. Default `temporal` and `temporal_visibility`. */
  databases?: { main: string; visibility: string };
  /** gRPC frontend port; 0 picks a free one. */
  port: number;
  ip?: string;
  /** Where the generated config goes. */
  dataDir: string;
  /** Registered when missing. Default `default`. */
  namespace?: string;
  /** Retention of closed workflows in the namespace, days. Default 7. */
  retentionDays?: number;
  /** History shards (fixed once the database holds data). Default 4. */
  numHistoryShards?: number;
  /** Connections of the executions store's pool. Default 20. */
  maxConns?: number;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** How long to wait for the frontend and the namespace. Default 120 s. */
  startTimeoutMs?: number;
  /** Where the server's and the schema tool's lines go. Default: stderr, prefixed. */
  log?: (line: string) => void;
}

export interface PostgresServer {
  /** host:port of the gRPC frontend. */
  address: string;
  port: number;
  pid: number;
  namespace: string;
  databases: { main: string; visibility: string };
  child: ChildProcess;
  /** SIGTERM, then SIGKILL after 15 s. Safe to call twice. */
  stop(): Promise<void>;
}

export function serverBinaries(binDir: string): { server: string; sqlTool: string } {
  return { server: path.join(binDir, 'temporal-server'), sqlTool: path.join(binDir, 'temporal-sql-tool') };
}

/** Creates the databases when missing and brings both schemas to the version the tool embeds. */
export function setupTemporalSchemas(opts: Pick<PostgresServerOptions, 'binDir' | 'postgres' | 'databases' | 'log'>): void {
  const { sqlTool } = serverBinaries(opts.binDir);
  if (!existsSync(sqlTool)) throw new Error(`${sqlTool} is missing: run \`bash scripts/temporal-postgres.sh build\``);
  const log = opts.log ?? ((line: string) => process.stderr.write(`[temporal-sql-tool] ${line}\n`));
  const dbs = opts.databases ?? { main: 'temporal', visibility: 'temporal_visibility' };
  const common = ['--plugin', 'postgres12', '--ep', opts.postgres.host, '-p', String(opts.postgres.port), '-u', opts.postgres.user];
  // The password goes through the environment (SQL_PASSWORD), not the command line; the tool
  // (a static Go binary) needs nothing else from it.
  const env = { SQL_PASSWORD: opts.postgres.password };
  const run = (args: string[], okIf?: RegExp): void => {
    const res = spawnSync(sqlTool, [...common, ...args], { env, encoding: 'utf8' });
    const out = `${res.stdout ?? ''}${res.stderr ?? ''}`;
    if (res.status !== 0 || /"level":"(error|fatal)"/.test(out)) {
      if (okIf?.test(out)) return;
      throw new Error(`temporal-sql-tool ${args.join(' ')} failed (exit ${res.status}):\n${out.trim().split('\n').slice(-10).join('\n')}`);
    }
  };
  for (const [db, schema] of [
    [dbs.main, 'postgresql/v12/temporal'],
    [dbs.visibility, 'postgresql/v12/visibility'],
  ] as const) {
    run(['--db', db, 'create-database'], /already exists/);
    // Only the version tables (idempotent), then every versioned step not applied yet.
    run(['--db', db, 'setup-schema', '-v', '0.0']);
    run(['--db', db, 'update-schema', '--schema-name', schema]);
    log(`database ${db}: schema ${schema} up to date`);
  }
}

function configYaml(o: {
  ip: string;
  ports: Record<'frontend' | 'frontendHttp' | 'frontendMembership' | 'history' | 'historyMembership' | 'matching' | 'matchingMembership' | 'worker' | 'workerMembership', number>;
  postgres: PostgresServerOptions['postgres'];
  dbs: { main: string; visibility: string };
  shards: number;
  maxConns: number;
  logLevel: string;
  dynamicConfigFile: string;
}): string {
  const q = (s: string) => JSON.stringify(s);
  const store = (db: string, conns: number) => `      sql:
        pluginName: "postgres12"
        databaseName: ${q(db)}
        connectAddr: ${q(`${o.postgres.host}:${o.postgres.port}`)}
        connectProtocol: "tcp"
        user: ${q(o.postgres.user)}
        password: ${q(o.postgres.password)}
        maxConns: ${conns}
        maxIdleConns: ${conns}
        maxConnLifetime: "1h"`;
  const service = (grpc: number, membership: number, http?: number) => `    rpc:
      grpcPort: ${grpc}
      membershipPort: ${membership}
      bindOnIP: ${q(o.ip)}${http ? `\n      httpPort: ${http}` : ''}`;
  return `# Written by integrations/temporal/postgres-server.ts on every start.
log:
  stdout: true
  level: ${o.logLevel}
persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: ${o.shards}
  datastores:
    postgres-default:
${store(o.dbs.main, o.maxConns)}
    postgres-visibility:
${store(o.dbs.visibility, 4)}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: ${q(o.ip)}
services:
  frontend:
${service(o.ports.frontend, o.ports.frontendMembership, o.ports.frontendHttp)}
  matching:
${service(o.ports.matching, o.ports.matchingMembership)}
  history:
${service(o.ports.history, o.ports.historyMembership)}
  worker:
${service(o.ports.worker, o.ports.workerMembership)}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: "active"
  currentClusterName: "active"
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: "frontend"
      rpcAddress: ${q(`${o.ip}:${o.ports.frontend}`)}
      httpAddress: ${q(`${o.ip}:${o.ports.frontendHttp}`)}
dcRedirectionPolicy:
  policy: "noop"
archival:
  history:
    state: "disabled"
  visibility:
    state: "disabled"
namespaceDefaults:
  archival:
    history:
      state: "disabled"
    visibility:
      state: "disabled"
dynamicConfigClient:
  filepath: ${q(o.dynamicConfigFile)}
  pollInterval: "60s"
`;
}

/**
 * Dynamic config: the ids limit of the CLI's dev server (255), so what runs on one runs on the
 * other. Update-with-start and updates are on by default in this server version.
 */
const DYNAMIC_CONFIG = `# Written by integrations/temporal/postgres-server.ts on every start.
limit.maxIDLength:
  - value: 255
`;

export async function startTemporalPostgresServer(opts: PostgresServerOptions): Promise<PostgresServer> {
  const ip = opts.ip ?? '127.0.0.1';
  const namespace = opts.namespace ?? 'default';
  const dbs = opts.databases ?? { main: 'temporal', visibility: 'temporal_visibility' };
  const log = opts.log ?? ((line: string) => process.stderr.write(`[temporal] ${line}\n`));
  const { server } = serverBinaries(opts.binDir);
  if (!existsSync(server)) throw new Error(`${server} is missing: run \`bash scripts/temporal-postgres.sh build\``);

  setupTemporalSchemas({ ...opts, databases: dbs, log });

  const port = opts.port === 0 ? await freePort(ip) : opts.port;
  const names = ['frontendHttp', 'frontendMembership', 'history', 'historyMembership', 'matching', 'matchingMembership', 'worker', 'workerMembership'] as const;
  // The cluster_membership table keeps ports as smallint: the services' ports must stay below
  // 32768 (the OS hands out free ports above it), so they are picked at random in 20000-32767.
  const others: number[] = [];
  for (let tries = 0; others.length < names.length; tries++) {
    if (tries > 1000) throw new Error('no free ports in 20000-32767 for the Temporal services');
    const p = 20_000 + Math.floor(Math.random() * 12_768);
    if (p !== port && !others.includes(p) && (await isPortFree(p, ip))) others.push(p);
  }
  const ports = { frontend: port, ...Object.fromEntries(names.map((n, i) => [n, others[i]!])) } as Parameters<typeof configYaml>[0]['ports'];
  const configDir = path.join(opts.dataDir, 'config');
  mkdirSync(configDir, { recursive: true });
  const dynamicConfigFile = path.join(configDir, 'dynamicconfig.yaml');
  writeFileSync(dynamicConfigFile, DYNAMIC_CONFIG);
  writeFileSync(
    path.join(configDir, 'dossierflow.yaml'),
    configYaml({ ip, ports, postgres: opts.postgres, dbs, shards: opts.numHistoryShards ?? 4, maxConns: opts.maxConns ?? 20, logLevel: opts.logLevel ?? 'warn', dynamicConfigFile }),
    { mode: 0o600 },
  );

  const proc = spawnServerProcess(server, ['--root', opts.dataDir, '--config', 'config', '--env', 'dossierflow', '--allow-no-auth', 'start'], log, 15_000);
  const { child, stop, spawnError } = proc;

  const address = `${ip}:${port}`;
  const timeoutMs = opts.startTimeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  let registered = false;
  for (;;) {
    const exited = proc.exited();
    if (exited) {
      throw new Error(`Temporal server (${server}) exited early (code ${exited.code}, signal ${exited.signal}) while starting on ${address}\n${proc.tail()}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Temporal server did not become ready on ${address} within ${timeoutMs / 1000} s: ${String(lastError)}\n${proc.tail()}`);
    }
    try {
      const conn = await Promise.race([Connection.connect({ address, connectTimeout: 2_000 }), spawnError]);
      try {
        if (!registered) {
          registered = await ensureNamespace(conn, namespace, opts.retentionDays ?? 7);
        }
        // The frontend's namespace registry learns a new namespace on its next refresh: ready
        // once a call that needs it answers (a query of an unknown workflow: "not found").
        await conn.workflowService.countWorkflowExecutions({ namespace, query: '' });
      } finally {
        await conn.close();
      }
      break;
    } catch (err) {
      lastError = err;
      if (err instanceof Error && 'code' in err && (err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`Temporal server not found at ${server}`);
      await sleep(500);
    }
  }
  return { address, port, pid: child.pid ?? -1, namespace, databases: dbs, child, stop };
}

/** Registers `namespace` when describe says it is unknown; true once it exists. */
async function ensureNamespace(conn: Connection, namespace: string, retentionDays: number): Promise<boolean> {
  try {
    await conn.workflowService.describeNamespace({ namespace });
    return true;
  } catch (err) {
    // 5 = NOT_FOUND
    if ((err as { code?: number }).code !== 5) throw err;
  }
  try {
    await conn.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(`${retentionDays} days`) });
  } catch (err) {
    // 6 = ALREADY_EXISTS (registered meanwhile)
    if ((err as { code?: number }).code !== 6) throw err;
  }
  return true;
}
