/** The client's document checklist (*stukkenlijst*): made from the client profile chosen in the service process. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { checklistFor } from '../../domain/checklists.js';
import { DomainError } from '../../domain/errors.js';
import type { CreateChecklistInput } from '../../domain/products/side-effects.js';
import { loadDossierContext } from '../dossiers/context.js';
import { insertChecklistOnce } from './store.js';

/** The checklist of the profile with its lines, once per key; refused for an unknown profile or a missing dossier/product. */
export async function createChecklist(em: EntityManager, input: CreateChecklistInput, now: Date): Promise<{ checklistId: string; items: number }> {
  const profile = checklistFor(input.profile);
  if (!profile) throw new DomainError('unprocessable', 'unknown-checklist-profile', `unknown checklist profile "${input.profile}"`);
  await loadDossierContext(em, input.dossierId, input.productId); // existence check
  return em.transactional((tem) =>
    insertChecklistOnce(tem, { key: input.key, dossierId: input.dossierId, productId: input.productId, profile: profile.code, items: profile.items, createdAt: now }),
  );
}
