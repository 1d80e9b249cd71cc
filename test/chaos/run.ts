/**
 * `npm run chaos`: the long chaos run. Starts what the vitest global setup would give (embedded
 * PostgreSQL, or a fresh database on DATABASE_URL; the SMTP peer), migrates, then runs the
 * chaos (test/chaos/chaos.ts), prints the counts and exits 1 when a check failed.
 *
 *   CHAOS_CASES   number of cases, split over service / HDN / contracts (default 120)
 *   CHAOS_KILLS   kills -9 of worker, API and Temporal together, at least (default 24; up to twice
 *                 as many while the cases still run)
 *   CHAOS_RUN     contracts of a second office invoiced by one invoice run during the kills (default 1000)
 *   CHAOS_SEED    replay the driver's choices of an earlier run
 *   CHAOS_WORKERS worker processes on the task queue (default 1)
 *   CHAOS_API_REPLICAS  API processes sharing the one port (SO_REUSEPORT, Linux; default 1)
 *                 With more than one of a kind, each kill of that kind picks one of them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../config/ports.js';
import { createTestDatabase, startEmbeddedPostgres } from '../../db/embedded-postgres.js';
import { migrate } from '../../db/migrate.js';
import { toolPaths } from '../../integrations/temporal/tools.js';
import { startSmtpPeer } from '../../simulators/smtp/smtp-peer.js';
import { chaosSeed, runChaos } from './chaos.js';
import { intFromEnv } from '../helpers/env-int.js';

async function main(): Promise<number> {
  const total = intFromEnv('CHAOS_CASES', 120, 3);
  const kills = intFromEnv('CHAOS_KILLS', 24, 3);
  const seed = chaosSeed();
  const workers = intFromEnv('CHAOS_WORKERS', 1, 1);
  const apiReplicas = intFromEnv('CHAOS_API_REPLICAS', 1, 1);
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const dir = mkdtempSync(path.join(tmpdir(), 'dossierflow-chaos-run-'));
  const stops: (() => Promise<void>)[] = [];
  try {
    const external = process.env.DATABASE_URL;
    let databaseUrl: string;
    if (external) {
      databaseUrl = await createTestDatabase(external, `dossierflow_chaos_${process.pid}`);
    } else {
      const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'postgres'), port: await freePort(), fast: true, log: () => undefined });
      stops.push(pg.stop);
      databaseUrl = pg.url;
    }
    await migrate(databaseUrl, () => undefined);
    const smtp = await startSmtpPeer({ smtpPort: 0, httpPort: 0, dir: path.join(dir, 'mail'), log: () => undefined });
    stops.push(smtp.stop);

    const service = Math.round(total * 0.3);
    const hdn = Math.round(total * 0.3);
    const billing = total - service - hdn;
    const outcome = await runChaos({
      databaseUrl,
      smtpUrl: smtp.smtpUrl,
      mailUiUrl: smtp.uiUrl,
      temporalCli: process.env.TEMPORAL_CLI ?? toolPaths().temporalCli,
      seed,
      cases: { service, hdn, billing, run: Number(process.env.CHAOS_RUN ?? 1000) },
      kills: { kills, maxKills: kills * 2, gapMs: [3_000, 12_000], downMs: [300, 4_000] },
      concurrency: 24,
      workers,
      apiReplicas,
      lenderStepDelayMs: 300,
      // After many kills an activity may be several retries deep (its backoff doubles up to 10 min).
      settleMs: 600_000,
      log,
    });
    log(`\n${outcome.summary}\n`);
    return outcome.report.failures.length === 0 && outcome.report.rows.every((r) => r.ok) ? 0 : 1;
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`chaos: FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
