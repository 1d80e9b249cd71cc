/**
 * Ockto's callbacks: validated (schema, by Fastify, and the rules below), stored first under
 * Ockto's event id in one transaction with the source data (so nothing is stored half), then
 * acknowledged, then the workflow is told. A duplicate event is answered like the first time
 * and changes nothing. A lost signal costs at most one poll interval: the workflow also polls.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CallbackAnswerStatus, CallbackOutcome } from '../../domain/ockto/retrieval.js';
import type { OcktoCallback } from '../../integrations/ockto/types.js';
import { ocktoCallbackSignal } from '../../workflows/ockto/ockto.messages.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import type { Principal } from '../../domain/roles.js';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import { DomainError } from '../../domain/errors.js';
import { storeOcktoSourceData } from './source-data.js';
import { callbackByEvent, insertCallbackOnce, retrievalBySession, type ReceivedCallback } from './store.js';

export interface CallbackAnswer {
  status: CallbackAnswerStatus;
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

  const previous = await callbackByEvent(em, body.eventId);
  if (previous) return duplicateAnswer(body, previous);

  const retrieval = await retrievalBySession(em, body.sessionId, principal.officeId);
  if (!retrieval) {
    // Parked with the reason (nothing is dropped), answered 404 so Ockto sees the mistake.
    await insertCallback(em, body, null, principal.officeId, 'unknown-session');
    throw new DomainError('not-found', 'ockto-unknown-session', `No Ockto retrieval of this office has session ${body.sessionId}`);
  }
  const open = retrieval.status === 'starting' || retrieval.status === 'waiting';
  const outcome: CallbackOutcome = !open ? 'ignored' : body.status === 'pending' ? 'ignored' : 'accepted';
  const inserted = await em.transactional(async (tem) => {
    const fresh = await insertCallback(tem, body, retrieval.id, principal.officeId, outcome);
    if (fresh && outcome === 'accepted') await storeOcktoSourceData(tem, retrieval.id, body, 'callback');
    return fresh;
  });
  if (!inserted) {
    // A concurrent copy of the same event won the insert: answer as a duplicate.
    const row = await callbackByEvent(em, body.eventId);
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

async function insertCallback(em: EntityManager, body: OcktoCallback, retrievalId: string | null, officeId: string, outcome: CallbackOutcome): Promise<boolean> {
  return insertCallbackOnce(em, { eventId: body.eventId, officeId, retrievalId, sessionId: body.sessionId, status: body.status, outcome });
}

function duplicateAnswer(body: OcktoCallback, previous: Pick<ReceivedCallback, 'outcome' | 'session_id' | 'status'>): { code: 200; answer: CallbackAnswer } {
  if (previous.session_id !== body.sessionId || previous.status !== body.status) {
    throw new DomainError('conflict', 'ockto-event-reused', `Event ${body.eventId} was received before for session ${previous.session_id} with status ${previous.status}`);
  }
  if (previous.outcome === 'unknown-session') throw new DomainError('not-found', 'ockto-unknown-session', `No Ockto retrieval of this office has session ${body.sessionId}`);
  return { code: 200, answer: { status: 'duplicate', eventId: body.eventId } };
}
