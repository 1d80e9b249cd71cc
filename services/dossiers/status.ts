/** The dossier's status (*prospect* → *klant*), set by a process step (the service agreement makes a client). */
import type { EntityManager } from '@mikro-orm/postgresql';
import { refuse } from '../../domain/errors.js';
import type { SetDossierStatusInput } from '../../domain/products/side-effects.js';
import { setDossierStatusOnce } from './store.js';

/** Once per key, with a history event; refused `not-found` when the dossier is gone. */
export async function setDossierStatus(em: EntityManager, input: SetDossierStatusInput, now: Date): Promise<void> {
  const found = await em.transactional((tem) => setDossierStatusOnce(tem, { dossierId: input.dossierId, key: input.key, status: input.status, actor: input.actor, at: now }));
  if (!found) throw refuse.notFound('dossier', input.dossierId);
}
