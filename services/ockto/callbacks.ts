/**
 * Ockto's callbacks: validated (schema, by Fastify, and the rules below), stored first under
 * Ockto's event id in one transaction with the source data (so nothing is stored half), then
 * acknowledged, then the workflow is told. A duplicate event is answered like the first time
 * and changes nothing. A lost signal costs at most one poll interval: the workflow also polls.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { affectedRows, storeOcktoSourceData } from '../../activities/ockto.activities.js';
import { newId } from '../../db/ids.js';
import type { OcktoCallback } from '../../integrations/ockto/types.js';
import { ocktoCallbackSignal } from '../../workflows/ockto/ockto.messages.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import type { Principal } from '../../domain/roles.js';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import { DomainError } from '../../domain/errors.js';

export interface CallbackAnswer {
  status: 'accepted' | 'duplicate' | 'ignored';
  eventId: string;
  detail?: string;
}

export async function receiveCallback(
  em: EntityManager,
  temporal: TemporalDeps,
  principal: Principal,
  body: OcktoCallback,
  log: (msg: string) => void,
): Promise<{ code: 200 | 202; answer: CallbackAnswer }> {
  if (body.status === 'shared' && !body.data) throw new DomainError('invalid', 'ockto-callback', "status 'shared' needs the shared data in `data`");
  if (body.status !== 'shared' && body.data) throw new DomainError('invalid', 'ockto-callback', `status '${body.status}' carries no data`);

  const [previous] = await em.execute<{ outcome: string; session_id: string; status: string }[]>(`select outcome, session_id, status from ockto_callbacks where event_id = ?`, [body.eventId]);
  if (previous) return duplicateAnswer(body, previous);

  const [retrieval] = await em.execute<{ id: string; status: string }[]>(`select id, status from ockto_retrievals where session_id = ? and office_id = ?`, [body.sessionId, principal.officeId]);
  if (!retrieval) {
    // Parked with the reason (nothing is dropped), answered 404 so Ockto sees the mistake.
    await insertCallback(em, body, null, principal.officeId, 'unknown-session');
    throw new DomainError('not-found', 'ockto-unknown-session', `No Ockto retrieval of this office has session ${body.sessionId}`);
  }
  const open = retrieval.status === 'starting' || retrieval.status === 'waiting';
  const outcome = !open ? 'ignored' : body.status === 'pending' ? 'ignored' : 'accepted';
  const inserted = await em.transactional(async (tem) => {
    const fresh = await insertCallback(tem, body, retrieval.id, principal.officeId, outcome);
    if (fresh && outcome === 'accepted') await storeOcktoSourceData(tem, retrieval.id, body, 'callback');
    return fresh;
  });
  if (!inserted) {
    // A concurrent copy of the same event won the insert: answer as a duplicate.
    const [row] = await em.execute<{ outcome: string; session_id: string; status: string }[]>(`select outcome, session_id, status from ockto_callbacks where event_id = ?`, [body.eventId]);
    return duplicateAnswer(body, row ?? { outcome, session_id: body.sessionId, status: body.status });
  }
  if (outcome === 'ignored') {
    return { code: 200, answer: { status: 'ignored', eventId: body.eventId, detail: open ? 'status pending: nothing to do' : `the retrieval is ${retrieval.status} already` } };
  }
  try {
    const { client } = temporal;
    await client.withDeadline(Date.now() + 5_000, () => client.workflow.getHandle(workflowIds.ockto(retrieval.id)).signal(ocktoCallbackSignal, { eventId: body.eventId }));
  } catch (err) {
    log(`ockto callback ${body.eventId} stored, signal not delivered (the workflow polls): ${err instanceof Error ? err.message : String(err)}`);
  }
  return { code: 202, answer: { status: 'accepted', eventId: body.eventId } };
}

async function insertCallback(em: EntityManager, body: OcktoCallback, retrievalId: string | null, officeId: string, outcome: string): Promise<boolean> {
  const res = await em.execute(
    `insert into ockto_callbacks (id, event_id, office_id, retrieval_id, session_id, status, outcome) values (?, ?, ?, ?, ?, ?, ?)
     on conflict (event_id) do nothing`,
    [newId(), body.eventId, officeId, retrievalId, body.sessionId, body.status, outcome],
    'run',
  );
  return affectedRows(res) > 0;
}

function duplicateAnswer(body: OcktoCallback, previous: { outcome: string; session_id: string; status: string }): { code: 200; answer: CallbackAnswer } {
  if (previous.session_id !== body.sessionId || previous.status !== body.status) {
    throw new DomainError('conflict', 'ockto-event-reused', `Event ${body.eventId} was received before for session ${previous.session_id} with status ${previous.status}`);
  }
  if (previous.outcome === 'unknown-session') throw new DomainError('not-found', 'ockto-unknown-session', `No Ockto retrieval of this office has session ${body.sessionId}`);
  return { code: 200, answer: { status: 'duplicate', eventId: body.eventId } };
}
