/** Client dossiers (*klantdossiers*): create (one transaction), read with everything around it, search. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Dossier as DossierEntity, DossierApplicant, DossierEvent } from '../../db/entities/index.js';
import { nextDossierNumber } from '../../db/dossier-numbers.js';
import { newId } from '../../db/ids.js';
import type { Principal } from '../types.js';
import type { Dossier, DossierCreate, DossierSummary } from '../schemas/dossiers.js';
import { getDefinition, statusLabelOf } from './definitions.js';
import { duplicateCriteriaOf, duplicateProblem, findDuplicates, getPersons, insertPerson } from './persons.js';
import { HttpProblem, problems } from './problem.js';
import { isoInstant, likePattern, looksLikeUuid, one, rows, type Row } from './sql.js';
import { listDocuments, listMails, listTasks } from './work.js';
import { personFullName } from '../../db/entities/index.js';

/**
 * Creates the dossier with its applicants in one transaction. New persons are checked for
 * likely duplicates first; any suggestion answers 409 and nothing is created.
 */
export async function createDossier(em: EntityManager, principal: Principal, body: DossierCreate): Promise<string> {
  const { officeId } = principal;
  return em.transactional(async (tem) => {
    const personIds: string[] = [];
    for (const [index, applicant] of body.applicants.entries()) {
      if ('personId' in applicant) {
        const exists = looksLikeUuid(applicant.personId)
          ? await one(tem, 'select id from persons where office_id = ? and id = ?', [officeId, applicant.personId])
          : undefined;
        if (!exists) {
          throw new HttpProblem(422, 'unknown-person', `applicants/${index}: person ${applicant.personId} not found in this office`);
        }
        personIds.push(applicant.personId);
      } else {
        if (applicant.person.allowDuplicate !== true) {
          const duplicates = await findDuplicates(tem, officeId, duplicateCriteriaOf(applicant.person));
          if (duplicates.length > 0) throw duplicateProblem(duplicates, { applicantIndex: index });
        }
        personIds.push(insertPerson(tem, officeId, applicant.person));
      }
    }
    if (new Set(personIds).size !== personIds.length) {
      throw new HttpProblem(422, 'same-applicant-twice', 'The two applicants must be different persons');
    }
    const id = newId();
    const now = new Date();
    const number = await nextDossierNumber(tem, officeId);
    tem.create(DossierEntity, { id, officeId, number, status: 'prospect', createdAt: now, updatedAt: now });
    // Foreign keys are scalar columns (no ORM relations), so flush parents before children.
    await tem.flush();
    personIds.forEach((personId, i) => tem.create(DossierApplicant, { dossierId: id, position: i + 1, personId }));
    tem.create(DossierEvent, {
      id: newId(),
      dossierId: id,
      key: null,
      at: now,
      actor: principal.credentialId,
      kind: 'created',
      fromStatus: null,
      toStatus: 'prospect',
    });
    await tem.flush();
    return id;
  });
}

interface DossierRow extends Row {
  id: string;
  number: string;
  status: 'prospect' | 'client';
  created_at: unknown;
  updated_at: unknown;
}

export async function findDossierRow(em: EntityManager, officeId: string, id: string): Promise<DossierRow | undefined> {
  if (!looksLikeUuid(id)) return undefined;
  return one<DossierRow>(em, 'select id, number, status, created_at, updated_at from dossiers where office_id = ? and id = ?', [officeId, id]);
}

export async function requireDossier(em: EntityManager, officeId: string, id: string): Promise<DossierRow> {
  const row = await findDossierRow(em, officeId, id);
  if (!row) throw problems.notFound('Dossier', id);
  return row;
}

export async function getDossier(em: EntityManager, officeId: string, id: string): Promise<Dossier | undefined> {
  const d = await findDossierRow(em, officeId, id);
  if (!d) return undefined;
  const applicants = await rows<{ position: number; person_id: string }>(
    em,
    'select position, person_id from dossier_applicants where dossier_id = ? order by position',
    [id],
  );
  const persons = await getPersons(em, officeId, applicants.map((a) => a.person_id));
  const productRows = await rows<{
    id: string;
    type: string;
    company: string | null;
    status: string;
    category: string;
    process_key: string;
    process_version: number;
    created_at: unknown;
  }>(
    em,
    `select id, type, company, status, category, process_key, process_version, created_at from products
     where office_id = ? and dossier_id = ? order by created_at, id`,
    [officeId, id],
  );
  const products = [];
  for (const p of productRows) {
    const def = await getDefinition(em, p.process_key, Number(p.process_version));
    products.push({
      id: p.id,
      type: p.type,
      company: p.company,
      status: p.status,
      statusLabel: statusLabelOf(def, p.status),
      category: p.category,
      processKey: p.process_key,
      processVersion: Number(p.process_version),
      createdAt: isoInstant(p.created_at) ?? '',
    });
  }
  const events = await rows<{ at: unknown; actor: string; kind: string; from_status: string | null; to_status: string }>(
    em,
    'select at, actor, kind, from_status, to_status from dossier_events where dossier_id = ? order by at, id',
    [id],
  );
  const [documents, tasks, mails] = [
    await listDocuments(em, officeId, id),
    await listTasks(em, officeId, { dossierId: id, limit: 200, offset: 0 }),
    await listMails(em, officeId, { dossierId: id, limit: 200, offset: 0 }),
  ];
  return {
    id: d.id,
    number: d.number,
    status: d.status,
    applicants: applicants.flatMap((a) => {
      const person = persons.get(a.person_id);
      return person ? [{ position: Number(a.position), person }] : [];
    }),
    products,
    documents,
    tasks: tasks.items,
    mails: mails.items,
    history: events.map((e) => ({
      at: isoInstant(e.at) ?? '',
      actor: e.actor,
      kind: e.kind,
      fromStatus: e.from_status,
      toStatus: e.to_status,
    })),
    createdAt: isoInstant(d.created_at) ?? '',
    updatedAt: isoInstant(d.updated_at) ?? '',
  };
}

/** Search by applicant name or e-mail, optionally by status; paged, with the total count. */
export async function searchDossiers(
  em: EntityManager,
  officeId: string,
  filter: { q?: string | undefined; status?: string | undefined; limit: number; offset: number },
): Promise<{ items: DossierSummary[]; total: number }> {
  let where = 'd.office_id = ?';
  const params: unknown[] = [officeId];
  if (filter.status) {
    where += ' and d.status = ?';
    params.push(filter.status);
  }
  const term = filter.q?.trim();
  if (term) {
    const like = likePattern(term);
    where += ` and exists (select 1 from dossier_applicants a join persons p on p.id = a.person_id
      where a.dossier_id = d.id and (concat_ws(' ', p.first_name, p.infix, p.last_name) ilike ?
        or concat_ws(' ', p.first_name, p.last_name) ilike ? or p.email ilike ?))`;
    params.push(like, like, like);
  }
  const count = await one<{ n: string }>(em, `select count(*) as n from dossiers d where ${where}`, params);
  const found = await rows<DossierRow>(
    em,
    `select d.id, d.number, d.status, d.created_at, d.updated_at from dossiers d where ${where}
     order by d.created_at desc, d.id limit ? offset ?`,
    [...params, filter.limit, filter.offset],
  );
  const ids = found.map((d) => d.id);
  const applicants =
    ids.length === 0
      ? []
      : await rows<{ dossier_id: string; position: number; person_id: string; first_name: string; infix: string | null; last_name: string; email: string | null }>(
          em,
          `select a.dossier_id, a.position, a.person_id, p.first_name, p.infix, p.last_name, p.email
           from dossier_applicants a join persons p on p.id = a.person_id
           where a.dossier_id in (${ids.map(() => '?').join(', ')}) order by a.position`,
          ids,
        );
  return {
    total: Number(count?.n ?? 0),
    items: found.map((d) => ({
      id: d.id,
      number: d.number,
      status: d.status,
      createdAt: isoInstant(d.created_at) ?? '',
      applicants: applicants
        .filter((a) => a.dossier_id === d.id)
        .map((a) => ({
          position: Number(a.position),
          personId: a.person_id,
          name: personFullName({ firstName: a.first_name, infix: a.infix, lastName: a.last_name }),
          email: a.email,
        })),
    })),
  };
}
