/**
 * The Ockto session of a retrieval, as its workflow drives it: create it (once: a retry or a
 * new run finds the stored one; Ockto's idempotency key guards the call itself) and collect the
 * result (data stored from a callback, a callback that ended the session, or Ockto asked).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from '../../domain/errors.js';
import type { CollectedOcktoResult, OcktoPolicy, StartedOcktoSession } from '../../domain/ockto/side-effects.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import type { OcktoClient } from '../../integrations/ockto/client.js';
import type { OcktoPolicyDefaults } from '../../integrations/ockto/config.js';
import { OcktoError, OcktoErrorType } from '../../integrations/ockto/errors.js';
import { answersFromData } from '../../integrations/ockto/mapping.js';
import type { OcktoSourceData } from '../../integrations/ockto/types.js';
import { storeOcktoSourceData } from './source-data.js';
import { endingCallbackStatus, retrievalById, setSessionOnce, sourceDataOf, type RetrievalRow } from './store.js';

/** The Ockto connection (undefined: not configured) and the default timings of the worker. */
export interface OcktoConnection {
  client: OcktoClient | undefined;
  defaults: OcktoPolicyDefaults;
}

/** The retrieval a workflow works on; refused `ockto-retrieval-not-found` when it is gone. */
export async function requireRetrieval(em: EntityManager, retrievalId: string): Promise<RetrievalRow> {
  const row = await retrievalById(em, retrievalId);
  if (!row) throw new DomainError('not-found', 'ockto-retrieval-not-found', `ockto retrieval ${retrievalId} not found`);
  return row;
}

/** The retrieval's timings: its own where the request set them, else the worker's defaults. */
export function policyOf(row: RetrievalRow, defaults: OcktoPolicyDefaults): OcktoPolicy {
  return {
    reminderAfterMs: (row.reminder_after_seconds ?? defaults.reminderAfterSeconds) * 1000,
    expireAfterMs: (row.expire_after_seconds ?? defaults.expireAfterSeconds) * 1000,
    pollIntervalMs: (row.poll_interval_seconds ?? defaults.pollIntervalSeconds) * 1000,
    retentionMs: (row.retention_seconds ?? defaults.retentionSeconds) * 1000,
  };
}

function clientOf(ockto: OcktoConnection): OcktoClient {
  if (!ockto.client) throw new OcktoError(OcktoErrorType.NotConfigured, 'no Ockto connection configured (OCKTO_URL / OCKTO_TOKEN)');
  return ockto.client;
}

/** Creates the Ockto session once; answers the retrieval's timings and when it was requested. */
export async function startOcktoSession(em: EntityManager, ockto: OcktoConnection, input: { retrievalId: string }): Promise<StartedOcktoSession> {
  const { retrievalId } = input;
  const row = await requireRetrieval(em, retrievalId);
  const started = { policy: policyOf(row, ockto.defaults), requestedAtMs: new Date(row.created_at).getTime() };
  if (row.session_id) return started;
  // personRef is our retrieval id: Ockto learns who the person is from DigiD, not from us.
  const session = await clientOf(ockto).createSession(retrievalId, {
    idempotencyKey: `${workflowIds.ockto(retrievalId)}/session`,
    ...(row.scenario ? { scenario: row.scenario } : {}),
  });
  await setSessionOnce(em, retrievalId, { sessionId: session.sessionId, url: session.url, qr: session.qr ?? null });
  return started;
}

/** Reads stored data (from a callback) or asks Ockto (polling); stores shared data atomically. */
export async function collectOcktoResult(em: EntityManager, ockto: OcktoConnection, input: { retrievalId: string }): Promise<CollectedOcktoResult> {
  const { retrievalId } = input;
  const row = await requireRetrieval(em, retrievalId);
  const stored = await sourceDataOf(em, retrievalId);
  if (stored?.data) return { status: 'shared', answers: answersFromData(stored.data as OcktoSourceData) };
  // A callback told us the client declined (or the session ended) without data.
  const ended = await endingCallbackStatus(em, retrievalId);
  if (ended) return { status: ended };
  if (!row.session_id) return { status: 'pending' };
  const result = await clientOf(ockto).getResult(row.session_id);
  if (result.status === 'shared') {
    if (!result.data) return { status: 'failed' };
    await storeOcktoSourceData(em, retrievalId, result, 'poll');
    return { status: 'shared', answers: answersFromData(result.data) };
  }
  return { status: result.status };
}
