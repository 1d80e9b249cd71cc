/** Client dossiers (*klantdossiers*): create (one transaction), read with everything around it, search. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { insertDossier, type DossierStatus } from './store.js';
import type { Principal } from '../../domain/roles.js';
import type { Dossier, DossierCreate, DossierSummary } from './schemas.js';
import { getDefinition, statusLabelOf } from '../process/definitions.js';
import { duplicateCriteriaOf, duplicateProblem, findDuplicates, insertPerson, personColumns, refuseImplausibleBirthDate, toPerson, type PersonRow } from '../crm/persons.js';
import { DomainError, refuse } from '../../domain/errors.js';
import { isoInstant, likePattern, looksLikeUuid, one, rows, type Row } from '../../db/sql.js';
import { documentColumns, documentSummary, type DocumentRow } from '../work/documents.js';
import { mailColumns, mailItem, type MailRow } from '../work/mails.js';
import { taskColumns, taskItem, taskOrder, type TaskRow } from '../work/tasks.js';
import { personFullName } from '../../db/entities/index.js';
import { axVersionNeededOf } from '../hdn/ax-version-needed.js';

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
          throw new DomainError('unprocessable', 'unknown-person', `applicants/${index}: person ${applicant.personId} not found in this office`);
        }
        personIds.push(applicant.personId);
      } else {
        refuseImplausibleBirthDate(applicant.person, `/body/applicants/${index}/person`);
        if (applicant.person.allowDuplicate !== true) {
          const duplicates = await findDuplicates(tem, officeId, duplicateCriteriaOf(applicant.person));
          if (duplicates.length > 0) throw duplicateProblem(duplicates, { applicantIndex: index });
        }
        personIds.push(insertPerson(tem, officeId, applicant.person));
      }
    }
    if (new Set(personIds).size !== personIds.length) {
      throw new DomainError('unprocessable', 'same-applicant-twice', 'The two applicants must be different persons');
    }
    const { id } = await insertDossier(tem, { officeId, personIds, actor: principal.credentialId });
    return id;
  });
}

interface DossierRow extends Row {
  id: string;
  number: string;
  status: DossierStatus;
  created_at: unknown;
  updated_at: unknown;
}

export async function findDossierRow(em: EntityManager, officeId: string, id: string): Promise<DossierRow | undefined> {
  if (!looksLikeUuid(id)) return undefined;
  return one<DossierRow>(em, 'select id, number, status, created_at, updated_at from dossiers where office_id = ? and id = ?', [officeId, id]);
}

export async function requireDossier(em: EntityManager, officeId: string, id: string): Promise<DossierRow> {
  const row = await findDossierRow(em, officeId, id);
  if (!row) throw refuse.notFound('Dossier', id);
  return row;
}

interface ProductJson {
  id: string;
  type: string;
  company: string | null;
  status: string;
  category: string;
  process_key: string;
  process_version: number;
  created_at: string;
  /** An AX of this product went out (state `sent`): only then can it need a new AX version. */
  ax_sent: boolean;
}

interface EventJson {
  at: string;
  actor: string;
  kind: string;
  from_status: string | null;
  to_status: string;
}

interface DossierDetailRow extends DossierRow {
  applicants: (PersonRow & { position: number })[];
  products: ProductJson[];
  events: EventJson[];
  documents: DocumentRow[];
  tasks: TaskRow[];
  mails: MailRow[];
}

/** Tasks and mails the dossier view lists (the newest beyond this are in the task and mail lists). */
const DETAIL_LIMIT = 200;

/** `[]` for a subquery that found nothing: json_agg of no rows is null. */
const jsonList = (subquery: string, order: string): string => `coalesce((select json_agg(x order by ${order}) from (${subquery}) x), '[]')`;

/**
 * The dossier with everything around it in one statement: each list is a json aggregate of the
 * same columns, filters and order the separate list queries use (work.ts, persons.ts), so the
 * read costs one round trip instead of ten; a second one (axVersionNeededOf) only when a product
 * has an AX sent.
 */
export async function getDossier(em: EntityManager, officeId: string, id: string): Promise<Dossier | undefined> {
  if (!looksLikeUuid(id)) return undefined;
  const personCols = personColumns.split(',').map((c) => `p.${c.trim()}`).join(', ');
  const d = await one<DossierDetailRow>(
    em,
    `select d.id, d.number, d.status, d.created_at, d.updated_at,
       ${jsonList(
         `select a.position, ${personCols} from dossier_applicants a
            join persons p on p.id = a.person_id and p.office_id = d.office_id where a.dossier_id = d.id`,
         'x.position',
       )} as applicants,
       ${jsonList(
         `select pr.id, pr.type, pr.company, pr.status, pr.category, pr.process_key, pr.process_version, pr.created_at,
                 exists (select 1 from hdn_messages m where m.product_id = pr.id and m.direction = 'out' and m.type = 'AX' and m.state = 'sent') as ax_sent
            from products pr where pr.office_id = d.office_id and pr.dossier_id = d.id`,
         'x.created_at, x.id',
       )} as products,
       ${jsonList(`select id, at, actor, kind, from_status, to_status from dossier_events where dossier_id = d.id`, 'x.at, x.id')} as events,
       ${jsonList(`select ${documentColumns} from documents where office_id = d.office_id and dossier_id = d.id`, 'x.created_at, x.id')} as documents,
       ${jsonList(
         `select ${taskColumns} from tasks where office_id = d.office_id and dossier_id = d.id order by ${taskOrder} limit ${DETAIL_LIMIT}`,
         taskOrder.replace(/(^|, )/g, '$1x.'),
       )} as tasks,
       ${jsonList(
         `select ${mailColumns} from mails m where m.dossier_id = d.id order by m.created_at, m.id limit ${DETAIL_LIMIT}`,
         'x.created_at, x.id',
       )} as mails
     from dossiers d where d.office_id = ? and d.id = ?`,
    [officeId, id],
  );
  if (!d) return undefined;
  // Only a product with an AX sent can need a new one: no second statement for the others.
  const axNeeded = await axVersionNeededOf(em, d.products.filter((p) => p.ax_sent).map((p) => p.id));
  const products = [];
  for (const p of d.products) {
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
      axVersionNeeded: axNeeded.get(p.id) ?? null,
    });
  }
  return {
    id: d.id,
    number: d.number,
    status: d.status,
    applicants: d.applicants.map((a) => ({ position: Number(a.position), person: toPerson(a) })),
    products,
    documents: d.documents.map(documentSummary),
    tasks: d.tasks.map(taskItem),
    mails: d.mails.map(mailItem),
    history: d.events.map((e) => ({
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

interface ApplicantJson {
  position: number;
  person_id: string;
  first_name: string;
  infix: string | null;
  last_name: string;
  email: string | null;
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
  // One statement: the page with the total over all matches (a window count, taken before
  // limit/offset), then each dossier's applicants as json for the rows of the page only.
  const found = await rows<DossierRow & { total: string | number; applicants: ApplicantJson[] }>(
    em,
    `select page.*,
       coalesce((select json_agg(x order by x.position) from (
         select a.position, a.person_id, p.first_name, p.infix, p.last_name, p.email
           from dossier_applicants a join persons p on p.id = a.person_id where a.dossier_id = page.id) x), '[]') as applicants
     from (select d.id, d.number, d.status, d.created_at, d.updated_at, count(*) over () as total
             from dossiers d where ${where}
            order by d.created_at desc, d.id limit ? offset ?) page
     order by page.created_at desc, page.id`,
    [...params, filter.limit, filter.offset],
  );
  // A page past the end has no row to carry the total: count separately (rare).
  const total =
    found[0] !== undefined
      ? Number(found[0].total)
      : filter.offset > 0
        ? Number((await one<{ n: string }>(em, `select count(*) as n from dossiers d where ${where}`, params))?.n ?? 0)
        : 0;
  return {
    total,
    items: found.map((d) => ({
      id: d.id,
      number: d.number,
      status: d.status,
      createdAt: isoInstant(d.created_at) ?? '',
      applicants: d.applicants.map((a) => ({
        position: Number(a.position),
        personId: a.person_id,
        name: personFullName({ firstName: a.first_name, infix: a.infix, lastName: a.last_name }),
        email: a.email,
      })),
    })),
  };
}
