/**
 * One chaos run: the platform (chaos-platform.ts), the scenario's cases and the kill driver at
 * the same time, then the checks on what is left. Used by the short test (chaos.test.ts) and
 * the long script (run.ts); the servers that are never killed (PostgreSQL, SMTP peer) are
 * handed in.
 */
import { newId } from '../../db/ids.js';
import { startChaosPlatform, type ChaosTarget } from './chaos-platform.js';
import { formatTable, runChecks, type CheckReport } from './checks.js';
import { prng, runDriver, type KillPlan, type KillRecord } from './driver.js';
import { ChaosHttp, type RetryStats } from './http.js';
import { driveRun, prepareRunOffice, type RunCase } from './invoice-run.js';
import { Scenario } from './scenario.js';

export interface ChaosOptions {
  databaseUrl: string;
  smtpUrl: string;
  mailUiUrl: string;
  temporalCli: string;
  seed: number;
  /** `run`: contracts of a second office invoiced by one invoice run during the kills (test/chaos/invoice-run.ts). */
  cases: { service: number; hdn: number; billing: number; run?: number };
  kills: KillPlan;
  concurrency: number;
  lenderStepDelayMs: number;
  /** Scale-out: worker processes and API replicas on one port (default 1 each); the driver kills any one of them. */
  workers?: number;
  apiReplicas?: number;
  /** How long a case may wait for its end status, and the checks for pending effects. */
  settleMs: number;
  log: (line: string) => void;
}

export interface ChaosOutcome {
  seed: number;
  report: CheckReport;
  kills: KillRecord[];
  unexpectedExits: Record<ChaosTarget, number>;
  http: RetryStats;
  durationMs: number;
  /** The printable summary: seed, kills, retries, the table, failures and notes. */
  summary: string;
}

/** The seed from CHAOS_SEED, or a fresh one. */
export function chaosSeed(): number {
  const fromEnv = process.env.CHAOS_SEED;
  if (fromEnv !== undefined && fromEnv !== '') {
    const n = Number(fromEnv);
    if (!Number.isInteger(n)) throw new Error(`CHAOS_SEED must be an integer, got ${JSON.stringify(fromEnv)}`);
    return n;
  }
  return Math.floor(Math.random() * 2 ** 31);
}

export async function runChaos(opts: ChaosOptions): Promise<ChaosOutcome> {
  const started = Date.now();
  const { log } = opts;
  log(`chaos: seed ${opts.seed} (replay with CHAOS_SEED=${opts.seed})`);
  const platform = await startChaosPlatform({
    databaseUrl: opts.databaseUrl,
    smtpUrl: opts.smtpUrl,
    temporalCli: opts.temporalCli,
    lenderStepDelayMs: opts.lenderStepDelayMs,
    ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
    ...(opts.apiReplicas !== undefined ? { apiReplicas: opts.apiReplicas } : {}),
    log,
  });
  try {
    log(`chaos: platform up in ${((Date.now() - started) / 1000).toFixed(1)} s (API ${platform.apiUrl}, Temporal ${platform.temporalAddress})`);
    const http = new ChaosHttp(platform.apiUrl, platform.tokens.adviser ?? '');
    const random = prng(opts.seed);
    const scenario = new Scenario(
      platform,
      http,
      {
        runId: newId().slice(0, 6),
        ...opts.cases,
        returnEvery: 3,
        concurrency: opts.concurrency,
        settleMs: opts.settleMs,
      },
      log,
    );
    await scenario.prepare();
    const runId = newId().slice(0, 6);
    const invoiceRun: RunCase | undefined = opts.cases.run ? await prepareRunOffice(opts.databaseUrl, opts.cases.run, runId) : undefined;
    let scenarioDone = false;
    const driverStartedAt = Date.now(); // the driver's kill times count from here
    const driving = runDriver(platform, random, opts.kills, () => scenarioDone, log);
    // The run starts a little after the cases, so that the driver's kills fall into it.
    const runDone = invoiceRun
      ? new Promise((r) => setTimeout(r, 1_500)).then(() => driveRun(platform, opts.databaseUrl, invoiceRun, opts.settleMs, log))
      : Promise.resolve();
    const running = Promise.all([scenario.run(), runDone])
      .then(([r]) => r)
      .finally(() => {
        scenarioDone = true;
      });
    const [result, kills] = await Promise.all([running, driving]);
    log(`chaos: scenario and driver done after ${((Date.now() - started) / 1000).toFixed(1)} s; checking`);
    const unexpectedExits = platform.unexpectedExits();
    const report = await runChecks({
      databaseUrl: opts.databaseUrl,
      mailUiUrl: opts.mailUiUrl,
      platform,
      result,
      settleMs: opts.settleMs,
      ...(invoiceRun ? { invoiceRun } : {}),
      workerDeaths: kills.filter((k) => k.target === 'worker').length + unexpectedExits.worker,
    });
    const durationMs = Date.now() - started;
    const byTarget = (t: ChaosTarget) => {
      const of = kills.filter((k) => k.target === t);
      const count = platform.instances(t);
      if (count === 1) return `${of.length}`;
      // Several of a kind: the kills of each instance too.
      return `${of.length}: ${Array.from({ length: count }, (_, i) => `${t}-${i + 1} ×${of.filter((k) => k.instance === i).length}`).join(', ')}`;
    };
    const scale = platform.instances('worker') > 1 || platform.instances('api') > 1 ? `, ${platform.instances('worker')} workers and ${platform.instances('api')} API replicas` : '';
    const summary = [
      `chaos run, seed ${opts.seed}${scale}: ${result.cases.length} cases (${opts.cases.service} service, ${opts.cases.hdn} HDN, ${opts.cases.billing} contracts), ` +
        `${kills.length} kills -9 (worker ${byTarget('worker')}, API ${byTarget('api')}, Temporal ${byTarget('temporal')}), ` +
        `${(durationMs / 1000).toFixed(0)} s`,
      ...(invoiceRun
        ? [
            `invoice run of ${invoiceRun.contracts} contracts: ${(((invoiceRun.issuedAtMs ?? 0) - (invoiceRun.startedAtMs ?? 0)) / 1000).toFixed(1)} s from start to all issued; ` +
              `kills -9 in that time: ${kills.filter((k) => k.atMs >= (invoiceRun.startedAtMs ?? 0) - driverStartedAt && k.atMs <= (invoiceRun.issuedAtMs ?? 0) - driverStartedAt).map((k) => k.target).join(', ') || 'none'}`,
          ]
        : []),
      `parts that died on their own and were restarted: worker ${unexpectedExits.worker}, API ${unexpectedExits.api}, Temporal ${unexpectedExits.temporal}`,
      `HTTP: ${http.stats.requests} requests, ${http.stats.retried} repeats (${http.stats.connectionErrors} connection errors, ${http.stats.serverErrors} 5xx answers)`,
      `writes repeated after an attempt that may have landed: ${
        Object.entries(http.stats.uncertainRepeats)
          .map(([route, n]) => `${route} ×${n}`)
          .join(', ') || 'none'
      }`,
      '',
      formatTable(report.rows),
      '',
      ...(report.failures.length ? ['FAILURES:', ...report.failures.map((f) => `  - ${f}`)] : ['all checks passed']),
      ...(report.notes.length ? ['notes:', ...report.notes.map((n) => `  - ${n}`)] : []),
    ].join('\n');
    return { seed: opts.seed, report, kills, unexpectedExits, http: http.stats, durationMs, summary };
  } finally {
    await platform.stop();
  }
}
