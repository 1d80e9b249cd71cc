/**
 * Editing a dossier's client data (issue 18). A dossier's applicants are persons: changing them
 * here changes the one person record (the CRM card shows it too, seed 002: "wijzigingen in de
 * klantgegevens op dossierniveau worden ook opgeslagen in de CRM kaart en vice versa"), with
 * the dossier named on each history line. Both applicants change in one transaction or neither.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { rows } from '../../db/sql.js';
import { refuse } from '../../domain/errors.js';
import type { Principal } from '../../domain/roles.js';
import { editPersonIn, fieldHistoryOf } from '../crm/person-edit.js';
import type { PersonFieldHistoryLine } from '../crm/persons.schemas.js';
import { requireDossier } from './dossiers.js';
import type { DossierPatch } from './schemas.js';

async function applicantsOf(em: EntityManager, dossierId: string): Promise<Map<number, string>> {
  const found = await rows<{ position: number; person_id: string }>(em, 'select position, person_id from dossier_applicants where dossier_id = ? order by position', [dossierId]);
  return new Map(found.map((a) => [Number(a.position), a.person_id]));
}

/** Applies the edit of each named applicant; refusals name the applicant (`applicantIndex`, the path). */
export async function editDossier(em: EntityManager, principal: Principal, dossierId: string, body: DossierPatch): Promise<void> {
  await requireDossier(em, principal.officeId, dossierId);
  const positions = body.applicants.map((a) => a.position);
  if (new Set(positions).size !== positions.length) {
    throw refuse.invalidField('/body/applicants/1/position', 'each applicant may be edited once per request');
  }
  await em.transactional(async (tem) => {
    const applicants = await applicantsOf(tem, dossierId);
    for (const [index, a] of body.applicants.entries()) {
      const personId = applicants.get(a.position);
      if (!personId) throw refuse.unprocessable('unknown-applicant', `applicants/${index}: the dossier has no applicant ${a.position}`);
      if (a.person.version === undefined) throw refuse.invalidField(`/body/applicants/${index}/person/version`, 'is required: the version of the person the edit started from');
      await editPersonIn(tem, principal, { personId, patch: a.person, expectedVersion: a.person.version, dossierId, problemExtra: { applicantIndex: index } });
    }
  });
}

/** The field history of the dossier's applicants (edited here or on their card), newest first. */
export async function dossierFieldHistory(
  em: EntityManager,
  officeId: string,
  dossierId: string,
  page: { limit: number; offset: number },
): Promise<{ items: (PersonFieldHistoryLine & { position: number })[]; total: number }> {
  await requireDossier(em, officeId, dossierId);
  const applicants = await applicantsOf(em, dossierId);
  const positionOf = new Map([...applicants].map(([position, personId]) => [personId, position]));
  const found = await fieldHistoryOf(em, officeId, [...applicants.values()], page);
  return { total: found.total, items: found.items.map((h) => ({ ...h, position: positionOf.get(h.personId) ?? 0 })) };
}
