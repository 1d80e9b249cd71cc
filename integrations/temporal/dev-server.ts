/**
 * Runs the Temporal CLI dev server (`temporal server start-dev`) as a child process:
 * SQLite-backed under `<DATA_DIR>/temporal/temporal.sqlite` for `npm start` (workflows survive a
 * restart), or in memory (`ephemeral`) for tests.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { freePort } from '../../config/ports.js';
import { spawnServerProcess } from './server-process.js';

export interface DevServerOptions {
  /** Path of the `temporal` binary (see `toolPaths().temporalCli`). */
  cli: string;
  /** gRPC frontend port; 0 picks a free one. */
  port: number;
  /** Web UI port; 0 picks a free one. Ignored when `headless`. */
  uiPort?: number;
  /** Disable the Web UI (tests). */
  headless?: boolean;
  namespace?: string;
  /** Directory for `temporal.sqlite`. Required unless `ephemeral`. */
  dataDir?: string;
  /** In-memory store (tests): no `--db-filename`. */
  ephemeral?: boolean;
  ip?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Extra `--search-attribute NAME=Type` entries. */
  searchAttributes?: Record<string, 'Text' | 'Keyword' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList'>;
  /** Extra `--dynamic-config-value KEY=JSON` entries. */
  dynamicConfig?: Record<string, unknown>;
  /** How long to wait for the frontend to answer. Default 60 s. */
  startTimeoutMs?: number;
  /** Where the server's stderr/stdout lines go. Default: stderr, prefixed. */
  log?: (line: string) => void;
}

export interface DevServer {
  /** host:port of the gRPC frontend, e.g. `127.0.0.1:7233`. */
  address: string;
  port: number;
  /** The Web UI URL, or undefined when headless. */
  uiUrl: string | undefined;
  pid: number;
  /** The sqlite file, or undefined when ephemeral. */
  dbFile: string | undefined;
  child: ChildProcess;
  /** SIGTERM, then SIGKILL after 10 s. Safe to call twice. */
  stop(): Promise<void>;
}

export async function startTemporalDevServer(opts: DevServerOptions): Promise<DevServer> {
  const ip = opts.ip ?? '127.0.0.1';
  const port = opts.port === 0 ? await freePort(ip) : opts.port;
  const headless = opts.headless ?? false;
  const uiPort = headless ? undefined : !opts.uiPort ? await freePort(ip) : opts.uiPort;
  const namespace = opts.namespace ?? 'default';
  const log = opts.log ?? ((line: string) => process.stderr.write(`[temporal] ${line}\n`));

  const args = ['server', 'start-dev', '--ip', ip, '--port', String(port), '--log-level', opts.logLevel ?? 'warn'];
  let dbFile: string | undefined;
  if (!opts.ephemeral) {
    if (!opts.dataDir) throw new Error('startTemporalDevServer: dataDir is required unless ephemeral');
    mkdirSync(opts.dataDir, { recursive: true });
    dbFile = path.join(opts.dataDir, 'temporal.sqlite');
    args.push('--db-filename', dbFile);
  }
  if (headless) args.push('--headless');
  else args.push('--ui-port', String(uiPort));
  if (namespace !== 'default') args.push('--namespace', namespace);
  for (const [name, type] of Object.entries(opts.searchAttributes ?? {})) args.push('--search-attribute', `${name}=${type}`);
  for (const [key, value] of Object.entries(opts.dynamicConfig ?? {})) args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);

  const proc = spawnServerProcess(opts.cli, args, log, 10_000);
  const { child, stop, spawnError } = proc;
  const address = `${ip}:${port}`;

  const deadline = Date.now() + (opts.startTimeoutMs ?? 60_000);
  let lastError: unknown;
  for (;;) {
    const exited = proc.exited();
    if (exited) {
      throw new Error(
        `Temporal dev server (${opts.cli}) exited early (code ${exited.code}, signal ${exited.signal}) while starting on ${address}` +
          `${port ? ` — is port ${port}${uiPort ? ` or UI port ${uiPort}` : ''} already in use?` : ''}\n${proc.tail()}`,
      );
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Temporal dev server did not answer on ${address} within ${(opts.startTimeoutMs ?? 60_000) / 1000} s: ${String(lastError)}\n${proc.tail()}`);
    }
    try {
      const conn = await Promise.race([Connection.connect({ address, connectTimeout: 2_000 }), spawnError]);
      try {
        await conn.workflowService.describeNamespace({ namespace });
      } finally {
        await conn.close();
      }
      break;
    } catch (err) {
      lastError = err;
      if (err instanceof Error && 'code' in err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new Error(`Temporal CLI not found at ${opts.cli}: run \`npm run install:tools\``);
      }
      await sleep(300);
    }
  }

  return {
    address,
    port,
    uiUrl: uiPort ? `http://${ip === '0.0.0.0' ? 'localhost' : ip}:${uiPort}` : undefined,
    pid: child.pid ?? -1,
    dbFile,
    child,
    stop,
  };
}
