/** Contact moments (*contactmomenten*): every contact with the client, registered in a process step. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { ContactMoment } from '../../db/entities/index.js';
import type { RegisterContactMomentInput } from '../../domain/products/side-effects.js';
import { loadDossierContext } from '../dossiers/context.js';
import { loadStepPayload } from './mails.js';
import { insertContactMomentOnce } from './store.js';

/** The contact moment of a step (channel from the step input, summary from its stored text), once per key. */
export async function registerContactMoment(em: EntityManager, input: RegisterContactMomentInput, now: Date): Promise<{ contactMomentId: string }> {
  const existing = await em.findOne(ContactMoment, { key: input.key });
  if (existing) return { contactMomentId: existing.id };
  await loadDossierContext(em, input.dossierId, input.productId); // existence check
  const payload = await loadStepPayload(em, input.payloadId, input.productId);
  const summary = payload?.data.summary;
  const channel = input.input?.channel;
  const contactMomentId = await insertContactMomentOnce(em, {
    key: input.key,
    dossierId: input.dossierId,
    productId: input.productId,
    at: new Date(input.at),
    actor: input.actor,
    channel: typeof channel === 'string' && channel ? channel : 'overig',
    summary: typeof summary === 'string' && summary.trim() ? summary : null,
    createdAt: now,
  });
  return { contactMomentId };
}
