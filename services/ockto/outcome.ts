/** How a retrieval ended, as its workflow decided: status, answers, the derived class and its history record. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { riskReasons } from '../../domain/ockto/risk-class.js';
import type { RecordOcktoOutcomeInput } from '../../domain/ockto/side-effects.js';
import { requireRetrieval } from './session.js';
import { recordRetrievalOutcome } from './store.js';

/** Final status, answers and derived class plus its history record (source 'data'); idempotent. */
export async function recordOcktoOutcome(em: EntityManager, input: RecordOcktoOutcomeInput, now: Date): Promise<void> {
  await em.transactional(async (tem) => {
    const row = await requireRetrieval(tem, input.retrievalId);
    const reason = input.reason ?? (input.reasons?.length ? input.reasons.map((r) => riskReasons[r].nl).join('; ') : null);
    await recordRetrievalOutcome(tem, row, {
      outcome: input.outcome,
      reason,
      answers: input.answers ?? null,
      riskClass: input.riskClass ?? null,
      reasons: input.reasons ?? null,
      endedAt: now,
    });
  });
}
