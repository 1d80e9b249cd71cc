/**
 * The scheduled polling fallback: every `intervalMs` the API asks RISK for the events since each
 * office's cursor (the same path as `POST /risk/poll`). Stateless between runs (the cursor is in
 * PostgreSQL) and idempotent (messages deduplicate on their RISK id), so several API instances
 * polling at once, or a poll overlapping the webhook, never apply an event twice.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { RiskClient } from '../../integrations/risk/client.js';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import { pollRiskOnce } from './poll.js';

export interface RiskPoller {
  /** One round over all offices now (also what the timer runs). */
  pollNow(): Promise<void>;
  stop(): void;
}

export function startRiskPoller(opts: {
  orm: MikroORM;
  temporal: TemporalDeps;
  client: RiskClient;
  intervalMs: number;
  log: (message: string, err?: unknown) => void;
  /** Only these offices (default: every office with insurance policies). */
  officeIds?: string[];
}): RiskPoller {
  let running: Promise<void> | undefined;
  const round = async (): Promise<void> => {
    const em = opts.orm.em.fork();
    // Offices that have asked RISK for quotes (the platform has one RISK account: an office
    // without insurance policies has nothing to poll for, and must not collect others' events).
    const offices = opts.officeIds
      ? opts.officeIds.map((id) => ({ office_id: id }))
      : await em.execute<{ office_id: string }[]>(`select distinct office_id from insurance_policies`);
    for (const { office_id: officeId } of offices) {
      try {
        await pollRiskOnce({ em: opts.orm.em.fork(), temporal: opts.temporal }, opts.client, officeId);
      } catch (err) {
        opts.log(`RISK poll for office ${officeId} failed; next round retries`, err);
      }
    }
  };
  const pollNow = (): Promise<void> => {
    // Never two rounds at once in one process.
    running ??= round().finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = setInterval(() => {
    void pollNow().catch((err: unknown) => opts.log('RISK poll round failed', err));
  }, opts.intervalMs);
  timer.unref();
  return { pollNow, stop: () => clearInterval(timer) };
}
