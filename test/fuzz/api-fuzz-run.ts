/**
 * `npm run fuzz:api`: the long OpenAPI-driven fuzz (test/fuzz/api-fuzz.ts). Starts what the vitest
 * global setup would give (embedded PostgreSQL, or a fresh database on DATABASE_URL; the Temporal
 * dev server in memory; the SMTP peer), then the API and a worker (test/fuzz/api-fuzz-platform.ts),
 * sends the requests from several clients at once while GET /health/live is probed, prints the
 * report with the probe's p50/p99 and exits 1 on any finding: a 5xx, an answer its documented
 * status, media type or schema does not allow, or a health probe slower than 1 s.
 *
 *   FUZZ_API_REQUESTS     requests after the warm-up (default 30000)
 *   FUZZ_API_CONCURRENCY  clients at once (default 4; 1 replays a seed exactly)
 *   FUZZ_SEED             replay an earlier run's requests (default: a new seed, printed)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../config/ports.js';
import { startEmbeddedPostgres } from '../../db/embedded-postgres.js';
import { startTemporalDevServer } from '../../integrations/temporal/dev-server.js';
import { toolPaths } from '../../integrations/temporal/tools.js';
import { startSmtpPeer } from '../../simulators/smtp/smtp-peer.js';
import { formatFuzzReport, runApiFuzz } from './api-fuzz.js';
import { startFuzzPlatform } from './api-fuzz-platform.js';
import { intFromEnv } from '../helpers/env-int.js';

/** A health probe slower than this fails the long run. */
const PROBE_LIMIT_MS = 1000;

async function main(): Promise<number> {
  const requests = intFromEnv('FUZZ_API_REQUESTS', 30_000, 1);
  const concurrency = intFromEnv('FUZZ_API_CONCURRENCY', 4, 1);
  const seed = intFromEnv('FUZZ_SEED', Math.floor(Math.random() * 2 ** 31), 0);
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const dir = mkdtempSync(path.join(tmpdir(), 'dossierflow-fuzz-api-'));
  const stops: (() => Promise<void>)[] = [];
  try {
    let databaseUrl = process.env.DATABASE_URL;
    if (!databaseUrl) {
      const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'postgres'), port: await freePort(), fast: true, log: () => undefined });
      stops.push(pg.stop);
      databaseUrl = pg.url;
    }
    const temporal = await startTemporalDevServer({ cli: process.env.TEMPORAL_CLI ?? toolPaths().temporalCli, port: 0, headless: true, ephemeral: true, log: () => undefined });
    stops.push(temporal.stop);
    const smtp = await startSmtpPeer({ smtpPort: 0, httpPort: 0, dir: path.join(dir, 'mail'), log: () => undefined });
    stops.push(smtp.stop);
    const platform = await startFuzzPlatform({ databaseUrl, temporalAddress: temporal.address, smtpUrl: smtp.smtpUrl });
    stops.push(platform.stop);

    log(`[fuzz] seed ${seed} (FUZZ_SEED=${seed} replays it), ${requests} requests from ${concurrency} clients against ${platform.baseUrl}`);
    const report = await runApiFuzz({ baseUrl: platform.baseUrl, tokens: platform.tokens, seed, requests, concurrency, probeEveryMs: 50, log });
    log(formatFuzzReport(report));
    const slow = report.health.max > PROBE_LIMIT_MS;
    if (slow) log(`[fuzz] FAILED: a GET /health/live probe took ${report.health.max.toFixed(0)} ms (limit ${PROBE_LIMIT_MS} ms)`);
    if (report.health.failed > 0) log(`[fuzz] FAILED: ${report.health.failed} health probes did not answer 200`);
    if (report.failures.length > 0) log(`[fuzz] FAILED: ${report.failures.length} distinct findings (above)`);
    return report.failures.length === 0 && !slow && report.health.failed === 0 ? 0 : 1;
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`fuzz:api: FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
