/**
 * What an admin sees before anonymising or deleting a person (*anonimiseren*, *verwijderen*): the
 * dossiers they are in (alone or with a co-applicant) and the linked data per kind, counted the
 * way deletion counts them (linksOf): a person with any link cannot be deleted, only anonymised.
 * Read-only; the act itself re-checks inside its own transaction.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { isAnonymised, personOfOffice } from '../crm/store.js';
import { refuse } from '../../domain/errors.js';
import { isoInstant, looksLikeUuid } from '../../db/sql.js';
import { dossierScopeOf } from './anonymise.js';
import { linksOf } from './delete.js';

export interface PrivacyPreview {
  personId: string;
  anonymised: boolean;
  anonymisedAt: string | null;
  dossiers: { sole: number; shared: number };
  linked: Record<string, number>;
  deletable: boolean;
}

export async function privacyPreview(em: EntityManager, officeId: string, personId: string): Promise<PrivacyPreview> {
  if (!looksLikeUuid(personId)) throw refuse.notFound('Person', personId);
  const p = await personOfOffice(em, officeId, personId);
  if (!p) throw refuse.notFound('Person', personId);
  const scope = await dossierScopeOf(em, personId);
  const linked = await linksOf(em, officeId, personId);
  return {
    personId,
    anonymised: isAnonymised(p),
    anonymisedAt: isoInstant(p.anonymised_at),
    dossiers: { sole: scope.sole.length, shared: scope.shared.length },
    linked,
    deletable: Object.keys(linked).length === 0,
  };
}
