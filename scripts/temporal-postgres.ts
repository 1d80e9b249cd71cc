/**
 * `bash scripts/temporal-postgres.sh start` (after its build): a Temporal server that persists in
 * PostgreSQL, in the foreground until Ctrl-C. Then `TEMPORAL_ADDRESS=127.0.0.1:7233 npm start`
 * (or the worker and API processes) use it instead of the CLI's dev server on SQLite.
 *
 * PostgreSQL: TEMPORAL_POSTGRES_URL (`postgres://user:password@host:port`, a role that may create
 * databases; the databases `temporal` and `temporal_visibility` are made there), else an
 * embedded cluster of its own under `<DATA_DIR>/temporal-postgres` on TEMPORAL_PG_PORT (5434),
 * apart from the platform's own database. Frontend: 127.0.0.1:TEMPORAL_PORT (7233), namespace
 * TEMPORAL_NAMESPACE (`default`). No Web UI (that comes with the CLI's dev server and compose).
 */
import path from 'node:path';
import { loadSettings } from '../config/settings.js';
import { temporalServerDir } from '../config/tools.js';
import { startEmbeddedPostgres } from '../db/embedded-postgres.js';
import { startTemporalPostgresServer, TEMPORAL_SERVER_VERSION } from '../integrations/temporal/postgres-server.js';

async function main(): Promise<void> {
  const settings = loadSettings();
  const dir = path.join(settings.dataDir, 'temporal-postgres');
  const stops: (() => Promise<void>)[] = [];
  let postgres: { host: string; port: number; user: string; password: string };
  const external = process.env.TEMPORAL_POSTGRES_URL;
  if (external) {
    const u = new URL(external);
    postgres = { host: u.hostname, port: Number(u.port || 5432), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
    console.log(`[temporal-postgres] PostgreSQL ${u.hostname}:${postgres.port} (TEMPORAL_POSTGRES_URL)`);
  } else {
    const port = Number(process.env.TEMPORAL_PG_PORT ?? 5434);
    const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'postgres'), port, database: 'postgres', log: (line) => console.log(`[postgres] ${line}`) });
    stops.unshift(pg.stop);
    postgres = { host: '127.0.0.1', port, user: 'postgres', password: 'postgres' };
  }
  try {
    const server = await startTemporalPostgresServer({
      binDir: temporalServerDir(),
      postgres,
      port: settings.temporalPort,
      dataDir: dir,
      namespace: settings.temporalNamespace,
      log: (line) => console.log(`[temporal] ${line}`),
    });
    stops.unshift(server.stop);
    console.log(
      `[temporal-postgres] Temporal server ${TEMPORAL_SERVER_VERSION} on PostgreSQL ready on ${server.address} ` +
        `(pid ${server.pid}, namespace ${server.namespace}, databases ${server.databases.main} / ${server.databases.visibility})`,
    );
    console.log(`[temporal-postgres] use it: TEMPORAL_ADDRESS=${server.address} npm start   (Ctrl-C here stops it)`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
      server.child.once('exit', () => resolve());
    });
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
  }
}

main().catch((err: unknown) => {
  console.error(`[temporal-postgres] FAILED: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
