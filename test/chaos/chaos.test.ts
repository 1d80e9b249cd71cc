/**
 * The short chaos run inside `npm test`: tens of cases (service, HDN with the simulated lender,
 * SEPA contracts with a storno) while the driver kills -9 the worker, the API and the Temporal
 * server (each at least twice, more while the cases still run) and starts them again. The kill moments are random (the seed is
 * printed; CHAOS_SEED replays it); the expectations are exact: every case in its end status,
 * every mail, invoice and product exactly once, every inbound message applied, no workflow failed.
 * The long run is `npm run chaos` (test/chaos/run.ts).
 */
import { inject } from 'vitest';
import { describe, expect, it } from 'vitest';
import { chaosSeed, runChaos } from './chaos.js';

describe('chaos: kill -9 worker, API and Temporal during many cases', () => {
  it('finishes every case in its status with every effect exactly once', async () => {
    const outcome = await runChaos({
      databaseUrl: inject('databaseUrl'),
      smtpUrl: inject('smtpUrl'),
      mailUiUrl: inject('mailUiUrl'),
      temporalCli: inject('temporalCli'),
      seed: chaosSeed(),
      cases: { service: 6, hdn: 6, billing: 10, run: 300 },
      kills: { kills: 6, maxKills: 12, gapMs: [3_000, 9_000], downMs: [300, 2_500] },
      concurrency: 22,
      lenderStepDelayMs: 150,
      settleMs: 180_000,
      log: (line) => process.stdout.write(`${line}\n`),
    });
    process.stdout.write(`\n${outcome.summary}\n\n`);
    const byTarget = (t: string) => outcome.kills.filter((k) => k.target === t).length;
    expect(byTarget('worker')).toBeGreaterThanOrEqual(1);
    expect(byTarget('api')).toBeGreaterThanOrEqual(1);
    expect(byTarget('temporal')).toBeGreaterThanOrEqual(1);
    expect(outcome.report.failures).toEqual([]);
    expect(outcome.report.rows.every((r) => r.ok)).toBe(true);
  }, 420_000);
});
