/**
 * The query manager's one SQL (DOMAIN process 8): (person, dossier) pairs of the office, by
 * default only each person's newest dossier, filtered with EXISTS / NOT EXISTS probes from the
 * dossier to its products (index products_dossier_type_idx), so "clients with a mortgage but
 * without home insurance" is one statement whatever the table sizes.
 *
 * Anonymised persons never appear: a selection is for acting on living relations.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { personFullName } from '../../db/entities/index.js';
import { InsuranceStatus } from '../../domain/insurance/events.js';
import type { OfferStatus, ProductFilter, SelectionQuery, SelectionRow } from './schemas.js';
import { DomainError } from '../../domain/errors.js';
import { insertBackofficeTasks } from '../work/store.js';
import type { PersonRow } from '../crm/store.js';
import { isoDate, isoInstant, one, rows } from '../../db/sql.js';

/** At most two product filters (with and without together), as the query manager allows. */
export const MAX_PRODUCT_FILTERS = 2;

/**
 * System statuses per offer status, over the shipped mortgage (HDN) and insurance (RISK)
 * processes; a status code means the same in every type that has it.
 */
export const offerStatusCodes: Record<OfferStatus, string[]> = {
  requested: ['aanvraag-verstuurd', 'ontvangst-bevestigd', 'in-behandeling', 'wacht-op-stukken', 'in-acceptatie', InsuranceStatus.QuoteRequested],
  received: ['renteaanbod', 'bindend-aanbod', InsuranceStatus.QuoteReceived],
  accepted: ['definitief-akkoord', 'bij-notaris', 'uitbetaling', 'lopend', InsuranceStatus.Running],
  rejected: ['afgewezen', 'niet-verwerkbaar', 'technisch-niet-verwerkbaar'],
};

/** Refuses what the schema cannot express: too many product filters, a reversed date range. */
export function checkQuery(q: SelectionQuery): void {
  const filters = (q.withProducts?.length ?? 0) + (q.withoutProducts?.length ?? 0);
  if (filters > MAX_PRODUCT_FILTERS) {
    throw new DomainError('invalid', 'too-many-product-filters', `At most ${MAX_PRODUCT_FILTERS} product filters (withProducts and withoutProducts together); got ${filters}`);
  }
  if (q.dateFrom && q.dateTo && q.dateFrom > q.dateTo) {
    throw new DomainError('invalid', 'invalid-date-range', `dateFrom ${q.dateFrom} is after dateTo ${q.dateTo}`);
  }
}

interface Built {
  sql: string;
  params: unknown[];
}

/** `created_at` within [from, to] as Europe/Amsterdam calendar days. */
function dateRange(column: string, from: string | undefined, to: string | undefined, params: unknown[]): string {
  const parts: string[] = [];
  if (from) {
    parts.push(`${column} >= (?::date)::timestamp at time zone 'Europe/Amsterdam'`);
    params.push(from);
  }
  if (to) {
    parts.push(`${column} < (?::date + 1)::timestamp at time zone 'Europe/Amsterdam'`);
    params.push(to);
  }
  return parts.join(' and ');
}

function productProbe(f: ProductFilter, params: unknown[]): string {
  let sql = 'select 1 from products p';
  if (f.branch) sql += ' join insurance_policies ip on ip.product_id = p.id';
  sql += ' where p.dossier_id = c.dossier_id and p.type = ?';
  params.push(f.type);
  if (f.company) {
    sql += ' and p.company = ?';
    params.push(f.company);
  }
  if (f.status) {
    sql += ' and p.status = ?';
    params.push(f.status);
  }
  if (f.category) {
    sql += ' and p.category = ?';
    params.push(f.category);
  }
  if (f.branch) {
    sql += ' and ip.branch = ?';
    params.push(f.branch);
  }
  return sql;
}

/** The WHERE of the selection over the CTE `c` (one row per applicant and dossier) joined with persons `per`. */
function whereOf(q: SelectionQuery, officeId: string): Built {
  const params: unknown[] = [];
  const parts: string[] = ['per.anonymised_at is null'];
  if (q.includeOlderDossiers !== true) {
    // The person's newest dossier: no newer one of theirs in the office. A probe per candidate
    // (index dossier_applicants_person_idx) lets PostgreSQL filter first, where a window over
    // every applicant of the office would number them all before any filter applies.
    parts.push(`not exists (select 1 from dossier_applicants a2 join dossiers d2 on d2.id = a2.dossier_id
       where a2.person_id = c.person_id and d2.office_id = ?
         and (d2.created_at > c.dossier_created_at or (d2.created_at = c.dossier_created_at and d2.id > c.dossier_id)))`);
    params.push(officeId);
  }
  if (q.dossierStatus) {
    parts.push('c.dossier_status = ?');
    params.push(q.dossierStatus);
  }
  for (const f of q.withProducts ?? []) parts.push(`exists (${productProbe(f, params)})`);
  for (const f of q.withoutProducts ?? []) parts.push(`not exists (${productProbe(f, params)})`);
  const onProduct = q.dateOn === 'product';
  if (q.productType || q.company || q.offerStatus || (onProduct && (q.dateFrom || q.dateTo))) {
    const conds: string[] = ['p.dossier_id = c.dossier_id'];
    if (q.productType) {
      conds.push('p.type = ?');
      params.push(q.productType);
    }
    if (q.company) {
      conds.push('p.company = ?');
      params.push(q.company);
    }
    if (q.offerStatus) {
      const codes = offerStatusCodes[q.offerStatus];
      conds.push(`p.status in (${codes.map(() => '?').join(', ')})`);
      params.push(...codes);
    }
    if (onProduct) {
      const range = dateRange('p.created_at', q.dateFrom, q.dateTo, params);
      if (range) conds.push(range);
    }
    parts.push(`exists (select 1 from products p where ${conds.join(' and ')})`);
  }
  if (!onProduct) {
    const range = dateRange('c.dossier_created_at', q.dateFrom, q.dateTo, params);
    if (range) parts.push(range);
  }
  return { sql: parts.join(' and '), params };
}

/** The CTE: every applicant of every dossier of the office (inlined by PostgreSQL, so filters push down). */
const CANDIDATES = `with c as (
  select a.person_id, d.id as dossier_id, d.number as dossier_number, d.status as dossier_status, d.created_at as dossier_created_at
    from dossiers d join dossier_applicants a on a.dossier_id = d.id
   where d.office_id = ?
)`;

/** The selection as SQL with its parameters (also printed beside the timing by bench/selections.ts). */
export function selectionSql(officeId: string, q: SelectionQuery, page?: { limit: number; offset: number }): Built {
  const where = whereOf(q, officeId);
  const paging = page ? ' limit ? offset ?' : '';
  return {
    sql: `${CANDIDATES}
select count(*) over () as total, c.person_id, c.dossier_id, c.dossier_number, c.dossier_status, c.dossier_created_at,
       per.first_name, per.infix, per.last_name, per.email, per.phone, per.street, per.house_number, per.house_number_suffix,
       per.postcode, per.city, per.birth_date, per.mail_opt_out
  from c join persons per on per.id = c.person_id
 where ${where.sql}
 order by per.last_name, per.first_name, per.id, c.dossier_created_at desc, c.dossier_id${paging}`,
    params: [officeId, ...where.params, ...(page ? [page.limit, page.offset] : [])],
  };
}

export function countSql(officeId: string, q: SelectionQuery): Built {
  const where = whereOf(q, officeId);
  return {
    sql: `${CANDIDATES} select count(*)::int as n from c join persons per on per.id = c.person_id where ${where.sql}`,
    params: [officeId, ...where.params],
  };
}

/** A selection row: the person's columns (as the persons row has them) with their dossier. */
type ResultRow = Pick<
  PersonRow,
  'first_name' | 'infix' | 'last_name' | 'email' | 'phone' | 'street' | 'house_number' | 'house_number_suffix' | 'postcode' | 'city' | 'birth_date' | 'mail_opt_out'
> & {
  total: string | number;
  person_id: string;
  dossier_id: string;
  dossier_number: string;
  dossier_status: string;
  dossier_created_at: unknown;
};

function toRow(r: ResultRow): SelectionRow {
  return {
    personId: r.person_id,
    name: personFullName({ firstName: r.first_name, infix: r.infix, lastName: r.last_name }),
    firstName: r.first_name,
    infix: r.infix,
    lastName: r.last_name,
    email: r.email,
    phone: r.phone,
    street: r.street,
    houseNumber: r.house_number === null ? null : Number(r.house_number),
    houseNumberSuffix: r.house_number_suffix,
    postcode: r.postcode,
    city: r.city,
    birthDate: isoDate(r.birth_date),
    mailOptOut: r.mail_opt_out === true,
    dossierId: r.dossier_id,
    dossierNumber: r.dossier_number,
    dossierStatus: r.dossier_status,
    dossierCreatedAt: isoInstant(r.dossier_created_at) ?? '',
  };
}

export async function runSelection(
  em: EntityManager,
  officeId: string,
  q: SelectionQuery,
  page: { limit: number; offset: number },
): Promise<{ items: SelectionRow[]; total: number }> {
  checkQuery(q);
  const list = selectionSql(officeId, q, page);
  const found = await rows<ResultRow>(em, list.sql, list.params);
  // The list carries the total (a window over the matches); only a page past the end needs a count.
  if (found.length > 0 || page.offset === 0) return { items: found.map(toRow), total: Number(found[0]?.total ?? 0) };
  const counted = countSql(officeId, q);
  const total = await one<{ n: number }>(em, counted.sql, counted.params);
  return { items: [], total: Number(total?.n ?? 0) };
}

/** Every row (for export and acting on a selection), up to `max`; more is refused, not cut off. */
export async function allRows(em: EntityManager, officeId: string, q: SelectionQuery, max: number): Promise<SelectionRow[]> {
  checkQuery(q);
  const list = selectionSql(officeId, q, { limit: max + 1, offset: 0 });
  const found = await rows<ResultRow>(em, list.sql, list.params);
  if (found.length > max) {
    throw new DomainError('unprocessable', 'selection-too-large', `The selection has more than ${max} rows; narrow it (dates, company, product filters) first`);
  }
  return found.map(toRow);
}

/**
 * One back-office call task per dossier of the selection, in one statement. The key
 * `selection:<office>:<runKey>/dossier:<id>` (tasks.key is unique) makes a repeated call with
 * the same run key add nothing; ids come from gen_random_uuid() because the rows are made in
 * the database, not one by one in the application.
 */
export async function createSelectionTasks(
  em: EntityManager,
  officeId: string,
  q: SelectionQuery,
  task: { runKey: string; title: string; dueDate: string | undefined },
  max: number,
): Promise<{ dossiers: number; created: number }> {
  checkQuery(q);
  const where = whereOf(q, officeId);
  const dossiers = await one<{ n: number }>(
    em,
    `${CANDIDATES} select count(distinct c.dossier_id)::int as n from c join persons per on per.id = c.person_id where ${where.sql}`,
    [officeId, ...where.params],
  );
  const n = Number(dossiers?.n ?? 0);
  if (n > max) throw new DomainError('unprocessable', 'selection-too-large', `The selection has ${n} dossiers; at most ${max} call tasks at once`);
  const found = await rows<{ dossier_id: string }>(
    em,
    `${CANDIDATES} select distinct c.dossier_id from c join persons per on per.id = c.person_id where ${where.sql}`,
    [officeId, ...where.params],
  );
  const created = await insertBackofficeTasks(em, {
    officeId,
    keyPrefix: `selection:${officeId}:${task.runKey}/dossier:`,
    title: task.title,
    dueDate: task.dueDate ?? null,
    dossierIds: found.map((r) => r.dossier_id),
  });
  return { dossiers: n, created };
}
