/**
 * An Ockto retrieval's raw source data: stored once when Ockto delivers it (by callback or by
 * polling, both the same way) and wiped when the retention ends, while the answers and the
 * classification stay.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SourceDataVia } from '../../domain/ockto/retrieval.js';
import { missingSections } from '../../integrations/ockto/mapping.js';
import type { OcktoResult } from '../../integrations/ockto/types.js';
import { insertSourceDataOnce, wipeSourceData } from './store.js';

/**
 * Stores what Ockto delivered for a session, in one transaction: the raw data (shared) once per
 * retrieval. Returns false when data was stored before (a duplicate delivery changes nothing).
 */
export async function storeOcktoSourceData(em: EntityManager, retrievalId: string, result: OcktoResult, via: SourceDataVia): Promise<boolean> {
  if (result.status !== 'shared' || !result.data) return false;
  const missing = result.missing ?? missingSections(result.data);
  const data = result.data;
  return em.transactional(async (tem) => insertSourceDataOnce(tem, retrievalId, data, missing, via));
}

/** Deletes the raw source data at the end of the retention; the classification stays. Idempotent. */
export async function deleteOcktoSourceData(em: EntityManager, input: { retrievalId: string }, now: Date): Promise<{ deleted: boolean }> {
  return em.transactional(async (tem) => ({ deleted: await wipeSourceData(tem, input.retrievalId, now) }));
}
