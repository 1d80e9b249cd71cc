/** Reading the privacy audit (admins): the office's anonymisations and deletions, counts per table, no personal values. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { isoInstant, looksLikeUuid } from '../../db/sql.js';
import type { PrivacyAudit } from './schemas.js';
import { auditRows } from './store.js';

export async function listPrivacyAudit(em: EntityManager, officeId: string, query: { personId?: string | undefined; limit: number }): Promise<PrivacyAudit> {
  // An id that is no UUID matches no person: an empty list rather than an error.
  if (query.personId !== undefined && !looksLikeUuid(query.personId)) return { items: [] };
  const found = await auditRows(em, officeId, query.personId ?? null, query.limit);
  return {
    items: found.map((r) => ({ id: r.id, personId: r.person_id, action: r.action, actor: r.actor, at: isoInstant(r.at) ?? '', changes: r.changes, dossierId: r.dossier_id })),
  };
}
