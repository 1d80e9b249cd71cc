/** The CRM card's "new dossier" action: a dossier with this person as applicant 1 (and optionally a partner as applicant 2). */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../../domain/roles.js';
import { refuse } from '../../domain/errors.js';
import { createDossier, getDossier } from '../dossiers/dossiers.js';
import type { Dossier } from '../dossiers/schemas.js';
import { requirePersonRow } from './card.js';
import { isAnonymised } from './store.js';

/** Refused `person-anonymised` (409) for an anonymised person: a new dossier needs a living relation. */
export async function createDossierForPerson(em: EntityManager, principal: Principal, personId: string, partnerPersonId?: string): Promise<Dossier> {
  const p = await requirePersonRow(em, principal.officeId, personId);
  if (isAnonymised(p)) throw refuse.conflict('person-anonymised', `Person ${p.id} is anonymised; a new dossier needs a living relation`);
  const applicants = [{ personId: p.id }, ...(partnerPersonId ? [{ personId: partnerPersonId }] : [])];
  const id = await createDossier(em, principal, { applicants });
  const dossier = await getDossier(em, principal.officeId, id);
  if (!dossier) throw new Error(`dossier ${id} vanished right after it was created`);
  return dossier;
}
