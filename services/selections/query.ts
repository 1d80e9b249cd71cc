/**
 * The query manager's one SQL (DOMAIN process 8): (person, dossier) pairs of the office, by
 * default only each person's newest dossier (the `newest` flag of the applicant row), filtered
 * on the dossier's own set of product types (`dossiers.product_types`) when a product filter
 * names only the type, else with EXISTS / NOT EXISTS probes from the dossier to the office's
 * products (index products_office_type_dossier_idx: one office, one type, in dossier order, from
 * the index alone) and their parts (loan parts, coverages), and from the person to their CRM properties
 * and indicators, so "clients with an interest-only loan part but without home insurance" is
 * one statement whatever the table sizes. The page carries its exact total (a window count).
 *
 * A query that asks nothing of a dossier (no product, loan part, coverage, dossier status or
 * date filter; only "without" filters, properties, indicators, or nothing at all) also lists
 * the persons who have no dossier, once, with empty dossier columns: the empty query is the
 * whole CRM. Values are always parameters; only fixed SQL fragments are concatenated.
 *
 * Anonymised persons never appear: a selection is for acting on living relations.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { personFullName } from '../../db/entities/index.js';
import { InsuranceStatus } from '../../domain/insurance/events.js';
import type { OfferStatus, ProductFilter, SelectionQuery, SelectionRow } from './schemas.js';
import { DomainError, refuse } from '../../domain/errors.js';
import { insertBackofficeTasks } from '../work/store.js';
import type { PersonRow } from '../crm/store.js';
import { isoDate, isoInstant, looksLikeUuid, one, pgArray, rows } from '../../db/sql.js';
import { cursorBatches } from './cursor.js';
import { comparisonSql } from '../../domain/selections/query.js';
import type { PropertyType } from '../../domain/crm/card.js';
import type { LoanPartFilter, PropertyFilter } from './schemas.js';

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

/**
 * What the query names, looked up in the office before the selection runs: the CRM property
 * definitions by key (the selection compares by their id) and the indicators. An unknown key,
 * a filter of the wrong type, or an indicator of another office is refused, not "no matches".
 */
export interface Resolved {
  propertyIds: ReadonlyMap<string, string>;
}

const noneResolved: Resolved = { propertyIds: new Map() };

/** A `choice` property compares as text. */
const filterTypeOf = (t: PropertyType): PropertyFilter['type'] => (t === 'choice' ? 'text' : t);

export async function resolveQuery(em: EntityManager, officeId: string, q: SelectionQuery): Promise<Resolved> {
  checkQuery(q);
  const keys = [...new Set((q.properties ?? []).map((f) => f.key))];
  const propertyIds = new Map<string, string>();
  if (keys.length > 0) {
    const defs = await rows<{ id: string; key: string; type: PropertyType }>(
      em,
      'select id, key, type from crm_property_definitions where office_id = ? and key = any(?::text[])',
      [officeId, pgArray(keys)],
    );
    const byKey = new Map(defs.map((d) => [d.key, d]));
    for (const f of q.properties ?? []) {
      const def = byKey.get(f.key);
      if (!def) throw refuse.invalid('unknown-property', `There is no CRM property "${f.key}" in this office`);
      if (filterTypeOf(def.type) !== f.type) {
        throw refuse.invalid('property-type-mismatch', `CRM property "${f.key}" is of type ${def.type}; compare it as ${filterTypeOf(def.type)}`);
      }
      propertyIds.set(f.key, def.id);
    }
  }
  const indicatorIds = [...new Set([...(q.withIndicators ?? []), ...(q.withoutIndicators ?? [])])];
  if (indicatorIds.length > 0) {
    // Ids are free text at the edge; only uuids can name an indicator (the rest are unknown).
    const uuids = indicatorIds.filter(looksLikeUuid);
    const found = uuids.length ? await rows<{ id: string }>(em, 'select id from crm_indicators where office_id = ? and id = any(?::uuid[])', [officeId, pgArray(uuids)]) : [];
    const known = new Set(found.map((r) => r.id));
    const unknown = indicatorIds.filter((id) => !known.has(id));
    if (unknown.length > 0) throw refuse.invalid('unknown-indicator', `No indicator ${unknown.join(', ')} in this office`);
  }
  return { propertyIds };
}

/** Whether the query asks something of a dossier (then persons without one can never match). */
export function needsDossier(q: SelectionQuery): boolean {
  return Boolean(
    q.withProducts?.length ||
      q.productType ||
      q.company ||
      q.offerStatus ||
      q.dossierStatus ||
      q.dateFrom ||
      q.dateTo ||
      q.loanParts?.length ||
      q.withCoverages?.length,
  );
}

/**
 * A loan part of the dossier (a part with a repayment type or amount) that is not ended. Parts
 * carry their product's office and dossier (copied by a trigger), so no product is read.
 */
function loanPartProbe(f: LoanPartFilter, officeId: string, params: unknown[]): string {
  params.push(officeId);
  const conds = ['pp.office_id = ?', 'pp.dossier_id = c.dossier_id', "pp.category <> 'ended'", '(pp.repayment_type is not null or pp.amount_cents is not null)'];
  if (f.repaymentType) {
    conds.push('pp.repayment_type = ?');
    params.push(f.repaymentType);
  }
  if (f.amount) {
    conds.push(`pp.amount_cents ${comparisonSql[f.amount.op]} ?`);
    params.push(f.amount.cents);
  }
  return `select 1 from product_parts pp where ${conds.join(' and ')}`;
}

/** A coverage of the dossier with this code that is not ended (a dropped or cancelled one ends). */
function coverageProbe(code: string, officeId: string, params: unknown[]): string {
  params.push(officeId, code);
  return "select 1 from product_parts pp where pp.office_id = ? and pp.code = ? and pp.dossier_id = c.dossier_id and pp.category <> 'ended'";
}

/**
 * The person's value of the property compared by its type. Values are jsonb of the property's
 * type (the CRM checks them when set); the CASE keeps a cast from ever seeing another type.
 */
function propertyProbe(f: PropertyFilter, propertyId: string, params: unknown[]): string {
  params.push(propertyId);
  const head = 'select 1 from crm_property_values v where v.person_id = c.person_id and v.property_id = ?';
  switch (f.type) {
    case 'text':
      params.push(f.value);
      return f.op === 'eq'
        ? `${head} and lower(v.value #>> '{}') = lower(?)`
        : `${head} and strpos(lower(v.value #>> '{}'), lower(?)) > 0`;
    case 'number':
      params.push(f.value);
      return `${head} and (case when jsonb_typeof(v.value) = 'number' then (v.value)::numeric end) ${comparisonSql[f.op]} ?::numeric`;
    case 'date':
      // YYYY-MM-DD compares as text in calendar order.
      params.push(f.value);
      return `${head} and (case when jsonb_typeof(v.value) = 'string' then v.value #>> '{}' end) ${comparisonSql[f.op]} ?`;
    case 'boolean':
      params.push(JSON.stringify(f.value));
      return `${head} and v.value = ?::jsonb`;
  }
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

/**
 * "Has a product of this type" read from the dossier's own set of product types
 * (`dossiers.product_types`, kept by triggers of migration 20261215100000) instead of a probe
 * into the products: one array test per candidate dossier. Persons without a dossier (the
 * persons CTE) have no set: they have no product of any type.
 */
function hasType(type: string, params: unknown[]): string {
  params.push(type);
  return 'coalesce(c.product_types @> array[?]::text[], false)';
}

/** A product filter that names only the type: answered from the dossier's set of product types. */
const typeOnly = (f: ProductFilter): boolean => !f.company && !f.status && !f.category && !f.branch;

function productProbe(f: ProductFilter, officeId: string, params: unknown[]): string {
  let sql = 'select 1 from products p';
  if (f.branch) sql += ' join insurance_policies ip on ip.product_id = p.id';
  sql += ' where p.office_id = ? and p.type = ? and p.dossier_id = c.dossier_id';
  params.push(officeId, f.type);
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
function whereOf(q: SelectionQuery, officeId: string, resolved: Resolved): Built {
  const params: unknown[] = [];
  const parts: string[] = ['per.anonymised_at is null'];
  if (q.dossierStatus) {
    parts.push('c.dossier_status = ?');
    params.push(q.dossierStatus);
  }
  for (const f of q.withProducts ?? []) parts.push(typeOnly(f) ? hasType(f.type, params) : `exists (${productProbe(f, officeId, params)})`);
  for (const f of q.withoutProducts ?? []) parts.push(typeOnly(f) ? `not ${hasType(f.type, params)}` : `not exists (${productProbe(f, officeId, params)})`);
  const onProduct = q.dateOn === 'product';
  const productDates = onProduct && Boolean(q.dateFrom || q.dateTo);
  if (q.productType && !q.company && !q.offerStatus && !productDates) {
    parts.push(hasType(q.productType, params));
  } else if (q.productType || q.company || q.offerStatus || productDates) {
    const conds: string[] = ['p.office_id = ?', 'p.dossier_id = c.dossier_id'];
    params.push(officeId);
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
  for (const f of q.loanParts ?? []) parts.push(`exists (${loanPartProbe(f, officeId, params)})`);
  for (const code of q.withCoverages ?? []) parts.push(`exists (${coverageProbe(code, officeId, params)})`);
  for (const code of q.withoutCoverages ?? []) parts.push(`not exists (${coverageProbe(code, officeId, params)})`);
  for (const f of q.properties ?? []) {
    const id = resolved.propertyIds.get(f.key);
    if (!id) throw new Error(`property ${f.key} was not resolved (call resolveQuery first)`);
    parts.push(`exists (${propertyProbe(f, id, params)})`);
  }
  for (const id of q.withIndicators ?? []) {
    parts.push('exists (select 1 from crm_person_indicators pi where pi.person_id = c.person_id and pi.indicator_id = ?)');
    params.push(id);
  }
  for (const id of q.withoutIndicators ?? []) {
    parts.push('not exists (select 1 from crm_person_indicators pi where pi.person_id = c.person_id and pi.indicator_id = ?)');
    params.push(id);
  }
  return { sql: parts.join(' and '), params };
}

/**
 * Only each person's newest dossier (*nieuwste dossier*) unless the query includes older ones:
 * `dossier_applicants.newest`, which triggers keep right for every applicant row (migration
 * 20261214100000), so the selection reads a flag instead of probing every candidate's other
 * dossiers (the probe was half the time of a selection over 100,000 persons).
 */
const newestOnly = (q: SelectionQuery): string => (q.includeOlderDossiers === true ? '' : ' and a.newest');

/** The CTE: every applicant of every dossier of the office (inlined by PostgreSQL, so filters push down). */
const applicants = (q: SelectionQuery): string => `with c as (
  select a.person_id, d.id as dossier_id, d.number as dossier_number, d.status as dossier_status, d.created_at as dossier_created_at, d.product_types
    from dossiers d join dossier_applicants a on a.dossier_id = d.id${newestOnly(q)}
   where d.office_id = ?
)`;

/** The CTE when no dossier is required: every person of the office with each of their dossiers, or once without. */
const persons = (q: SelectionQuery): string => `with c as (
  select per0.id as person_id, d.id as dossier_id, d.number as dossier_number, d.status as dossier_status, d.created_at as dossier_created_at, d.product_types
    from persons per0
    left join (dossier_applicants a join dossiers d on d.id = a.dossier_id and d.office_id = ?) on a.person_id = per0.id${newestOnly(q)}
   where per0.office_id = ?
)`;

function candidates(officeId: string, q: SelectionQuery): Built {
  return needsDossier(q) ? { sql: applicants(q), params: [officeId] } : { sql: persons(q), params: [officeId, officeId] };
}

const SELECT_LIST = `c.person_id, c.dossier_id, c.dossier_number, c.dossier_status, c.dossier_created_at,
       per.first_name, per.infix, per.last_name, per.email, per.phone, per.street, per.house_number, per.house_number_suffix,
       per.postcode, per.city, per.birth_date, per.mail_opt_out`;
const ORDER = 'order by per.last_name, per.first_name, per.id, c.dossier_created_at desc, c.dossier_id';

/** The selection as SQL with its parameters (also printed beside the timing by bench/selections.ts). */
export function selectionSql(officeId: string, q: SelectionQuery, page?: { limit: number; offset: number }, resolved: Resolved = noneResolved): Built {
  const cte = candidates(officeId, q);
  const where = whereOf(q, officeId, resolved);
  const paging = page ? ' limit ? offset ?' : '';
  return {
    sql: `${cte.sql}
select count(*) over () as total, ${SELECT_LIST}
  from c join persons per on per.id = c.person_id
 where ${where.sql}
 ${ORDER}${paging}`,
    params: [...cte.params, ...where.params, ...(page ? [page.limit, page.offset] : [])],
  };
}

/** The whole selection without the total (an export reads it through a cursor, in order). */
export function exportSql(officeId: string, q: SelectionQuery, resolved: Resolved): Built {
  const cte = candidates(officeId, q);
  const where = whereOf(q, officeId, resolved);
  return {
    sql: `${cte.sql}
select ${SELECT_LIST}
  from c join persons per on per.id = c.person_id
 where ${where.sql}
 ${ORDER}`,
    params: [...cte.params, ...where.params],
  };
}

export function countSql(officeId: string, q: SelectionQuery, resolved: Resolved = noneResolved): Built {
  const cte = candidates(officeId, q);
  const where = whereOf(q, officeId, resolved);
  return {
    sql: `${cte.sql} select count(*)::int as n from c join persons per on per.id = c.person_id where ${where.sql}`,
    params: [...cte.params, ...where.params],
  };
}

/** A selection row: the person's columns (as the persons row has them) with their dossier. */
type ResultRow = Pick<
  PersonRow,
  'first_name' | 'infix' | 'last_name' | 'email' | 'phone' | 'street' | 'house_number' | 'house_number_suffix' | 'postcode' | 'city' | 'birth_date' | 'mail_opt_out'
> & {
  total: string | number;
  person_id: string;
  dossier_id: string | null;
  dossier_number: string | null;
  dossier_status: string | null;
  dossier_created_at: unknown;
};

export function toRow(r: Omit<ResultRow, 'total'>): SelectionRow {
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
    dossierCreatedAt: isoInstant(r.dossier_created_at),
  };
}

export async function runSelection(
  em: EntityManager,
  officeId: string,
  q: SelectionQuery,
  page: { limit: number; offset: number },
): Promise<{ items: SelectionRow[]; total: number }> {
  const resolved = await resolveQuery(em, officeId, q);
  const list = selectionSql(officeId, q, page, resolved);
  const found = await rows<ResultRow>(em, list.sql, list.params);
  // The list carries the total (a window over the matches); only a page past the end needs a count.
  if (found.length > 0 || page.offset === 0) return { items: found.map(toRow), total: Number(found[0]?.total ?? 0) };
  const counted = countSql(officeId, q, resolved);
  const total = await one<{ n: number }>(em, counted.sql, counted.params);
  return { items: [], total: Number(total?.n ?? 0) };
}

/** Every row (for export and acting on a selection), up to `max`; more is refused, not cut off. */
export async function allRows(em: EntityManager, officeId: string, q: SelectionQuery, max: number): Promise<SelectionRow[]> {
  const resolved = await resolveQuery(em, officeId, q);
  const list = selectionSql(officeId, q, { limit: max + 1, offset: 0 }, resolved);
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
  const resolved = await resolveQuery(em, officeId, q);
  const cte = candidates(officeId, q);
  const where = whereOf(q, officeId, resolved);
  // Persons without a dossier get no call task (a task belongs to a dossier).
  const dossierWhere = `c.dossier_id is not null and ${where.sql}`;
  const dossiers = await one<{ n: number }>(
    em,
    `${cte.sql} select count(distinct c.dossier_id)::int as n from c join persons per on per.id = c.person_id where ${dossierWhere}`,
    [...cte.params, ...where.params],
  );
  const n = Number(dossiers?.n ?? 0);
  if (n > max) throw new DomainError('unprocessable', 'selection-too-large', `The selection has ${n} dossiers; at most ${max} call tasks at once`);
  const found = await rows<{ dossier_id: string }>(
    em,
    `${cte.sql} select distinct c.dossier_id from c join persons per on per.id = c.person_id where ${dossierWhere}`,
    [...cte.params, ...where.params],
  );
  const created = await insertBackofficeTasks(em, {
    officeId,
    keyPrefix: `selection:${officeId}:${task.runKey}/dossier:`,
    title: task.title,
    dueDate: task.dueDate ?? null,
    dossierIds: found.map((r) => r.dossier_id).filter((id): id is string => id !== null),
  });
  return { dossiers: n, created };
}

/** Rows per FETCH of an export: big enough to keep round trips few, small enough to stay light. */
export const EXPORT_BATCH = 1_000;

/**
 * The whole selection in order, batch by batch from a cursor (see cursor.ts); the query must be
 * resolved (checked) first, so a bad filter is refused before any byte of an export is sent.
 */
export async function* selectionBatches(
  em: EntityManager,
  officeId: string,
  q: SelectionQuery,
  resolved: Resolved,
  batchSize = EXPORT_BATCH,
): AsyncGenerator<SelectionRow[]> {
  for await (const batch of cursorBatches<Omit<ResultRow, 'total'>>(em, exportSql(officeId, q, resolved), batchSize)) yield batch.map(toRow);
}
