/**
 * Organisations in the CRM (*organisaties*, issue 19 deliverable 3): lenders, notaries,
 * employers, insurers, accountants ... of an office, their contact persons (CRM persons with a
 * role) and their part in dossiers and products (*betrokken partijen*). Every query is scoped to
 * the caller's office.
 *
 * Decisions (README "Organisaties"):
 * - Duplicates: the same KvK number in the office is a likely duplicate (409 `possible-duplicate`
 *   naming the existing one(s), unless `allowDuplicate`), like persons. Two establishments of one
 *   company (same KvK number, both with a different *vestigingsnummer*) are not duplicates.
 * - Edits name the version they started from (If-Match or `version`), like persons: 409
 *   `edited-meanwhile` when it changed since.
 * - The lender of a mortgage and the insurer of a policy are the product's company
 *   (products.company, for an HDN mortgage also its lender code): that link is derived (an
 *   organisation of kind lender/insurer whose name, or whose HDN lender's name or code, is the
 *   product's) and shown, never stored a second time. Such a role on a product is refused.
 * - Delete only when nothing is stored against the organisation (contact persons, party links):
 *   otherwise 409 `organisation-still-linked`; archive it instead (PATCH archived: true), which
 *   keeps every link and hides it from searches.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { personFullName } from '../../db/entities/index.js';
import { isoDate, isoInstant, likePattern, looksLikeUuid, one, rows, type Row } from '../../db/sql.js';
import { todayInAmsterdam } from '../../domain/dates.js';
import {
  normaliseWebsite,
  parseEstablishmentNumber,
  parseKvkNumber,
  periodIsValid,
  productDerivedRoles,
  type NumberCheck,
  type OrganisationKind,
} from '../../domain/crm/organisations.js';
import { DomainError, refuse } from '../../domain/errors.js';
import type { Principal } from '../../domain/roles.js';
import { normalisePostcode } from '../shared/schemas.js';
import type {
  Contact,
  ContactInput,
  ContactPatch,
  Organisation,
  OrganisationDuplicate,
  OrganisationInput,
  OrganisationPatch,
  PartyLink,
  PartyLinkInput,
} from './organisations.schemas.js';
import {
  deleteOrganisationContactRow,
  deleteOrganisationLinkRow,
  deleteOrganisationRow,
  insertOrganisation,
  insertOrganisationContact,
  insertOrganisationLink,
  isAnonymised,
  organisationColumns,
  organisationOfOffice,
  personOfOffice,
  updateOrganisationContactRow,
  updateOrganisationRow,
  type ContactFields,
  type OrganisationFields,
  type OrganisationRow,
} from './store.js';

export function toOrganisation(r: OrganisationRow): Organisation {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    kvkNumber: r.kvk_number,
    establishmentNumber: r.establishment_number,
    lenderCode: r.lender_code,
    address:
      r.street !== null && r.house_number !== null && r.postcode !== null && r.city !== null
        ? { street: r.street, houseNumber: Number(r.house_number), houseNumberSuffix: r.house_number_suffix, postcode: r.postcode, city: r.city }
        : null,
    phone: r.phone,
    email: r.email,
    website: r.website,
    archived: r.archived_at !== null && r.archived_at !== undefined,
    createdAt: isoInstant(r.created_at) ?? '',
    updatedAt: isoInstant(r.updated_at) ?? '',
    version: Number(r.version),
  };
}

/** The ETag of an organisation: its version, as `If-Match` takes it back. */
export const organisationETag = (o: Pick<Organisation, 'version'>): string => `"${o.version}"`;

/** The version an edit started from: `If-Match` (`"3"`, `W/"3"`, `3`) or the body's `version`; required, both must agree. */
export function expectedOrganisationVersion(ifMatch: string | undefined, bodyVersion: number | undefined): number {
  let fromHeader: number | undefined;
  if (ifMatch !== undefined) {
    const m = /^\s*(?:W\/)?"?(\d{1,10})"?\s*$/.exec(ifMatch);
    if (!m) throw refuse.invalidField('/headers/if-match', 'must be the ETag of the organisation, e.g. "3"');
    fromHeader = Number(m[1]);
  }
  if (fromHeader !== undefined && bodyVersion !== undefined && fromHeader !== bodyVersion) throw refuse.invalidField('/body/version', `differs from If-Match (${fromHeader})`);
  const version = fromHeader ?? bodyVersion;
  if (version === undefined) throw refuse.invalidField('/body/version', 'is required (or send If-Match): the version of the organisation the edit started from');
  return version;
}

function checked(path: string, result: NumberCheck): string {
  if (!result.ok) throw refuse.invalidField(path, result.message);
  return result.value;
}

const trimmedOrNull = (v: string | null | undefined): string | null => (v === undefined || v === null || v.trim() === '' ? null : v.trim());

async function checkedLenderCode(em: EntityManager, code: string | null): Promise<string | null> {
  if (code === null) return null;
  const found = await one<{ code: string }>(em, 'select code from hdn_lenders where code = ?', [code]);
  if (!found) throw refuse.invalidField('/body/lenderCode', `is no known HDN lender code (${code})`);
  return found.code;
}

/** The fields to store from a create's input, checked and normalised (field paths in refusals). */
async function fieldsOfInput(em: EntityManager, input: OrganisationInput): Promise<OrganisationFields> {
  const a = input.address;
  return {
    kind: input.kind,
    name: input.name.trim(),
    kvkNumber: input.kvkNumber === undefined ? null : checked('/body/kvkNumber', parseKvkNumber(input.kvkNumber)),
    establishmentNumber: input.establishmentNumber === undefined ? null : checked('/body/establishmentNumber', parseEstablishmentNumber(input.establishmentNumber)),
    lenderCode: await checkedLenderCode(em, input.lenderCode ?? null),
    street: a ? a.street.trim() : null,
    houseNumber: a ? a.houseNumber : null,
    houseNumberSuffix: a ? trimmedOrNull(a.houseNumberSuffix) : null,
    postcode: a ? normalisePostcode(a.postcode) : null,
    city: a ? a.city.trim() : null,
    phone: trimmedOrNull(input.phone),
    email: trimmedOrNull(input.email),
    website: input.website === undefined ? null : checked('/body/website', normaliseWebsite(input.website)),
  };
}

function fieldsOfRow(r: OrganisationRow): OrganisationFields {
  return {
    kind: r.kind,
    name: r.name,
    kvkNumber: r.kvk_number,
    establishmentNumber: r.establishment_number,
    lenderCode: r.lender_code,
    street: r.street,
    houseNumber: r.house_number === null ? null : Number(r.house_number),
    houseNumberSuffix: r.house_number_suffix,
    postcode: r.postcode,
    city: r.city,
    phone: r.phone,
    email: r.email,
    website: r.website,
  };
}

/** The fields after a PATCH: what was sent replaces, null clears, the rest stays. */
async function fieldsAfterPatch(em: EntityManager, before: OrganisationFields, patch: OrganisationPatch): Promise<OrganisationFields> {
  const after = { ...before };
  if (patch.kind !== undefined) after.kind = patch.kind;
  if (patch.name !== undefined) after.name = patch.name.trim();
  if (patch.kvkNumber !== undefined) after.kvkNumber = patch.kvkNumber === null ? null : checked('/body/kvkNumber', parseKvkNumber(patch.kvkNumber));
  if (patch.establishmentNumber !== undefined) {
    after.establishmentNumber = patch.establishmentNumber === null ? null : checked('/body/establishmentNumber', parseEstablishmentNumber(patch.establishmentNumber));
  }
  if (patch.lenderCode !== undefined && patch.lenderCode !== before.lenderCode) after.lenderCode = await checkedLenderCode(em, patch.lenderCode);
  if (patch.address !== undefined) {
    const a = patch.address;
    after.street = a ? a.street.trim() : null;
    after.houseNumber = a ? a.houseNumber : null;
    after.houseNumberSuffix = a ? trimmedOrNull(a.houseNumberSuffix) : null;
    after.postcode = a ? normalisePostcode(a.postcode) : null;
    after.city = a ? a.city.trim() : null;
  }
  if (patch.phone !== undefined) after.phone = trimmedOrNull(patch.phone);
  if (patch.email !== undefined) after.email = trimmedOrNull(patch.email);
  if (patch.website !== undefined) after.website = patch.website === null ? null : checked('/body/website', normaliseWebsite(patch.website));
  return after;
}

/**
 * Likely duplicates in the office: the same KvK number, unless both carry a different
 * vestigingsnummer (two establishments of one company are two parties).
 */
export async function findOrganisationDuplicates(
  em: EntityManager,
  officeId: string,
  c: { kvkNumber: string | null; establishmentNumber: string | null; exceptId?: string },
): Promise<OrganisationDuplicate[]> {
  if (c.kvkNumber === null) return [];
  const found = await rows<OrganisationRow>(
    em,
    `select ${organisationColumns} from organisations
      where office_id = ? and kvk_number = ? and (?::text is null or establishment_number is null or establishment_number = ?)
        and (?::uuid is null or id <> ?::uuid)
      order by lower(name), id limit 20`,
    [officeId, c.kvkNumber, c.establishmentNumber, c.establishmentNumber, c.exceptId ?? null, c.exceptId ?? null],
  );
  return found.map((r) => ({
    id: r.id,
    name: r.name,
    kvkNumber: r.kvk_number ?? '',
    establishmentNumber: r.establishment_number,
    city: r.city,
    archived: r.archived_at !== null && r.archived_at !== undefined,
  }));
}

function organisationDuplicateProblem(duplicates: OrganisationDuplicate[], edit: boolean): DomainError {
  const names = duplicates.map((d) => `${d.name}${d.city ? ` (${d.city})` : ''}`).join(', ');
  return new DomainError(
    'conflict',
    'possible-duplicate',
    `KvK number ${duplicates[0]?.kvkNumber ?? ''} is already used in this office by: ${names}. ` +
      `Use that organisation, or send allowDuplicate: true to ${edit ? 'save' : 'create'} anyway. Nothing was ${edit ? 'changed' : 'created'}.`,
    { possibleDuplicates: duplicates },
  );
}

export async function getOrganisation(em: EntityManager, officeId: string, id: string): Promise<Organisation | undefined> {
  if (!looksLikeUuid(id)) return undefined;
  const r = await organisationOfOffice(em, officeId, id);
  return r ? toOrganisation(r) : undefined;
}

/** The organisation of the office, or refused not-found (also for an id that is no UUID). */
export async function requireOrganisation(em: EntityManager, officeId: string, id: string): Promise<Organisation> {
  const found = await getOrganisation(em, officeId, id);
  if (!found) throw refuse.notFound('Organisation', id);
  return found;
}

/**
 * Two advisers saving the same KvK number at once: the check and the insert run under a
 * transaction lock on (office, KvK number), so the second one sees the first and gets the 409.
 */
async function lockKvk(tem: EntityManager, officeId: string, kvkNumber: string | null): Promise<void> {
  if (kvkNumber !== null) await tem.execute('select pg_advisory_xact_lock(hashtext(?)) as locked', [`organisation-kvk:${officeId}:${kvkNumber}`]);
}

export async function createOrganisation(em: EntityManager, principal: Principal, input: OrganisationInput): Promise<Organisation> {
  const fields = await fieldsOfInput(em, input);
  const id = await em.transactional(async (tem) => {
    await lockKvk(tem, principal.officeId, fields.kvkNumber);
    if (input.allowDuplicate !== true) {
      const duplicates = await findOrganisationDuplicates(tem, principal.officeId, fields);
      if (duplicates.length > 0) throw organisationDuplicateProblem(duplicates, false);
    }
    return insertOrganisation(tem, principal.officeId, fields, principal.credentialId);
  });
  return requireOrganisation(em.fork(), principal.officeId, id);
}

/** PATCH /organisations/:id: the version check, the duplicate check when the KvK number changes, the edit. */
export async function editOrganisation(em: EntityManager, principal: Principal, id: string, patch: OrganisationPatch, ifMatch: string | undefined): Promise<Organisation> {
  const expectedVersion = expectedOrganisationVersion(ifMatch, patch.version);
  if (!looksLikeUuid(id)) throw refuse.notFound('Organisation', id);
  await em.transactional(async (tem) => {
    const row = await organisationOfOffice(tem, principal.officeId, id, { forUpdate: true });
    if (!row) throw refuse.notFound('Organisation', id);
    if (Number(row.version) !== expectedVersion) {
      throw refuse.conflict(
        'edited-meanwhile',
        `Organisation ${id} was changed by someone else since version ${expectedVersion} (now ${row.version}); reload and edit again. Nothing was changed.`,
        { currentVersion: Number(row.version) },
      );
    }
    const before = fieldsOfRow(row);
    const after = await fieldsAfterPatch(tem, before, patch);
    const wasArchived = row.archived_at !== null && row.archived_at !== undefined;
    const archived = patch.archived ?? wasArchived;
    const changed = JSON.stringify(before) !== JSON.stringify(after) || archived !== wasArchived;
    if (!changed) return;
    const kvkChanged = after.kvkNumber !== before.kvkNumber || after.establishmentNumber !== before.establishmentNumber;
    if (kvkChanged) await lockKvk(tem, principal.officeId, after.kvkNumber);
    if (kvkChanged && patch.allowDuplicate !== true) {
      const duplicates = await findOrganisationDuplicates(tem, principal.officeId, { ...after, exceptId: id });
      if (duplicates.length > 0) throw organisationDuplicateProblem(duplicates, true);
    }
    await updateOrganisationRow(tem, principal.officeId, id, after, archived);
  });
  return requireOrganisation(em.fork(), principal.officeId, id);
}

/** What is stored against the organisation, counted (zeros left out). */
async function storedLinksOf(em: EntityManager, officeId: string, id: string): Promise<Record<string, number>> {
  const r = await one<{ contacts: number; dossiers: number; products: number }>(
    em,
    `select (select count(*)::int from crm_organisation_contacts where office_id = ? and organisation_id = ?) as contacts,
            (select count(*)::int from crm_organisation_links where office_id = ? and organisation_id = ? and dossier_id is not null) as dossiers,
            (select count(*)::int from crm_organisation_links where office_id = ? and organisation_id = ? and product_id is not null) as products`,
    [officeId, id, officeId, id, officeId, id],
  );
  return Object.fromEntries(Object.entries(r ?? {}).filter(([, n]) => Number(n) > 0).map(([k, n]) => [k, Number(n)]));
}

/**
 * Deletes an organisation that nothing is stored against. With contact persons or party links
 * it is refused (409 `organisation-still-linked`, counted): archive it instead, so dossiers keep
 * showing who their notary was. A product whose company names it keeps its company (that is the
 * product's own data), so derived links do not hold a delete back.
 */
export async function deleteOrganisation(em: EntityManager, principal: Principal, id: string): Promise<void> {
  if (!looksLikeUuid(id)) throw refuse.notFound('Organisation', id);
  await em.transactional(async (tem) => {
    const row = await organisationOfOffice(tem, principal.officeId, id, { forUpdate: true });
    if (!row) throw refuse.notFound('Organisation', id);
    const linked = await storedLinksOf(tem, principal.officeId, id);
    if (Object.keys(linked).length > 0) {
      const list = Object.entries(linked).map(([k, v]) => `${k}: ${v}`).join(', ');
      throw refuse.conflict(
        'organisation-still-linked',
        `Organisation ${id} cannot be deleted while it is linked (${list}); remove the links first, or archive it (PATCH archived: true). Nothing was deleted.`,
        { linked },
      );
    }
    await deleteOrganisationRow(tem, principal.officeId, id);
  });
}

/** Search by part of the name, the KvK number (separators ignored) or the city; archived ones only when asked. Paged, by name. */
export async function searchOrganisations(
  em: EntityManager,
  officeId: string,
  s: { q?: string | undefined; kind?: OrganisationKind | undefined; includeArchived?: boolean | undefined; limit: number; offset: number },
): Promise<{ items: Organisation[]; total: number }> {
  const params: unknown[] = [officeId];
  let where = 'office_id = ?';
  if (s.includeArchived !== true) where += ' and archived_at is null';
  if (s.kind) {
    where += ' and kind = ?';
    params.push(s.kind);
  }
  const term = s.q?.trim();
  if (term) {
    const like = likePattern(term);
    const digits = term.replace(/[\s.-]/g, '');
    where += ' and (name ilike ? or city ilike ?' + (/^[0-9]{1,12}$/.test(digits) ? ' or kvk_number like ? or establishment_number like ?' : '') + ')';
    params.push(like, like);
    if (/^[0-9]{1,12}$/.test(digits)) params.push(`${digits}%`, `${digits}%`);
  }
  const found = await rows<OrganisationRow & { total: number }>(
    em,
    `select ${organisationColumns}, count(*) over ()::int as total from organisations where ${where} order by lower(name), id limit ? offset ?`,
    [...params, s.limit, s.offset],
  );
  const total = found[0] ? Number(found[0].total) : Number((await one<{ n: number }>(em, `select count(*)::int as n from organisations where ${where}`, params))?.n ?? 0);
  return { items: found.map(toOrganisation), total };
}

// ---- contact persons ------------------------------------------------------------------------

interface ContactRow extends Row {
  id: string;
  organisation_id: string;
  organisation_name: string;
  organisation_kind: OrganisationKind;
  person_id: string;
  first_name: string;
  infix: string | null;
  last_name: string;
  role: Contact['role'];
  function_title: string | null;
  start_date: unknown;
  end_date: unknown;
  created_at: unknown;
}

const contactSelect = `select c.id, c.organisation_id, o.name as organisation_name, o.kind as organisation_kind, c.person_id, p.first_name, p.infix, p.last_name,
         c.role, c.function_title, c.start_date, c.end_date, c.created_at
    from crm_organisation_contacts c join organisations o on o.id = c.organisation_id join persons p on p.id = c.person_id`;

function toContact(r: ContactRow, today: string): Contact {
  const endDate = isoDate(r.end_date);
  return {
    id: r.id,
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
    organisationKind: r.organisation_kind,
    personId: r.person_id,
    personName: personFullName({ firstName: r.first_name, infix: r.infix, lastName: r.last_name }),
    role: r.role,
    functionTitle: r.function_title,
    startDate: isoDate(r.start_date),
    endDate,
    current: endDate === null || endDate >= today,
    createdAt: isoInstant(r.created_at) ?? '',
  };
}

/** The organisation's contact persons: current ones first, then by name. */
export async function contactsOfOrganisation(em: EntityManager, officeId: string, organisationId: string): Promise<Contact[]> {
  await requireOrganisation(em, officeId, organisationId);
  const today = todayInAmsterdam(new Date());
  const found = await rows<ContactRow>(
    em,
    `${contactSelect} where c.office_id = ? and c.organisation_id = ?
      order by (c.end_date is not null and c.end_date < ?::date), lower(p.last_name), lower(p.first_name), c.id`,
    [officeId, organisationId, today],
  );
  return found.map((r) => toContact(r, today));
}

/** The organisations a person is contact person of (the person card): current ones first. */
export async function organisationsOfPerson(em: EntityManager, officeId: string, personId: string): Promise<Contact[]> {
  if (!looksLikeUuid(personId) || !(await personOfOffice(em, officeId, personId))) throw refuse.notFound('Person', personId);
  const today = todayInAmsterdam(new Date());
  const found = await rows<ContactRow>(
    em,
    `${contactSelect} where c.office_id = ? and c.person_id = ?
      order by (c.end_date is not null and c.end_date < ?::date), lower(o.name), c.id`,
    [officeId, personId, today],
  );
  return found.map((r) => toContact(r, today));
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}

async function contactById(em: EntityManager, officeId: string, organisationId: string, contactId: string): Promise<Contact> {
  const r = looksLikeUuid(contactId) ? await one<ContactRow>(em, `${contactSelect} where c.office_id = ? and c.organisation_id = ? and c.id = ?`, [officeId, organisationId, contactId]) : undefined;
  if (!r) throw refuse.notFound('Contact person', contactId);
  return toContact(r, todayInAmsterdam(new Date()));
}

function checkedPeriod(c: ContactFields): ContactFields {
  if (!periodIsValid(c.startDate, c.endDate)) throw refuse.invalidField('/body/endDate', 'must not be before startDate');
  return c;
}

/** Links a CRM person of the office to the organisation with a role (refused for an anonymised person, and twice in one role). */
export async function addContact(em: EntityManager, principal: Principal, organisationId: string, input: ContactInput): Promise<Contact> {
  const { officeId } = principal;
  await requireOrganisation(em, officeId, organisationId);
  const person = looksLikeUuid(input.personId) ? await personOfOffice(em, officeId, input.personId) : undefined;
  if (!person) throw refuse.unprocessable('unknown-person', `Person ${input.personId} is not a person of this office`);
  if (isAnonymised(person)) throw refuse.conflict('anonymised', `Person ${input.personId} is anonymised and cannot become a contact person`);
  const fields = checkedPeriod({ role: input.role, functionTitle: trimmedOrNull(input.functionTitle), startDate: input.startDate ?? null, endDate: input.endDate ?? null });
  let id: string;
  try {
    id = await insertOrganisationContact(em, { ...fields, officeId, organisationId, personId: input.personId, actor: principal.credentialId });
  } catch (err) {
    if (isUniqueViolation(err)) throw refuse.conflict('already-linked', `Person ${input.personId} is already linked to this organisation in role ${input.role}`);
    throw err;
  }
  return contactById(em, officeId, organisationId, id);
}

/** Changes role, function title or period of a contact person (e.g. the end date when they leave). */
export async function updateContact(em: EntityManager, officeId: string, organisationId: string, contactId: string, patch: ContactPatch): Promise<Contact> {
  const current = await contactById(em, officeId, organisationId, contactId);
  const fields = checkedPeriod({
    role: patch.role ?? current.role,
    functionTitle: patch.functionTitle === undefined ? current.functionTitle : trimmedOrNull(patch.functionTitle),
    startDate: patch.startDate === undefined ? current.startDate : patch.startDate,
    endDate: patch.endDate === undefined ? current.endDate : patch.endDate,
  });
  try {
    if (!(await updateOrganisationContactRow(em, officeId, organisationId, contactId, fields))) throw refuse.notFound('Contact person', contactId);
  } catch (err) {
    if (isUniqueViolation(err)) throw refuse.conflict('already-linked', `Person ${current.personId} is already linked to this organisation in role ${fields.role}`);
    throw err;
  }
  return contactById(em, officeId, organisationId, contactId);
}

export async function removeContact(em: EntityManager, officeId: string, organisationId: string, contactId: string): Promise<void> {
  await requireOrganisation(em, officeId, organisationId);
  if (!looksLikeUuid(contactId) || !(await deleteOrganisationContactRow(em, officeId, organisationId, contactId))) throw refuse.notFound('Contact person', contactId);
}

// ---- parties of dossiers and products -------------------------------------------------------

interface PartyRow extends Row {
  id: string | null;
  organisation_id: string;
  organisation_name: string;
  organisation_kind: OrganisationKind;
  role: PartyLink['role'];
  dossier_id: string;
  dossier_number: string;
  product_id: string | null;
  product_type: string | null;
  product_company: string | null;
  created_at: unknown;
}

/** Stored links: on a dossier, or on a product (its dossier through the product). */
const storedPartiesSql = `select k.id, k.organisation_id, o.name as organisation_name, o.kind as organisation_kind, k.role,
         d.id as dossier_id, d.number as dossier_number, k.product_id, p.type as product_type, p.company as product_company, k.created_at
    from crm_organisation_links k
    join organisations o on o.id = k.organisation_id
    left join products p on p.id = k.product_id
    join dossiers d on d.id = coalesce(k.dossier_id, p.dossier_id)
   where k.office_id = ?`;

/**
 * Derived links: a product's company (products.company) is a lender or insurer organisation of
 * the office when it is that organisation's name, or (with an HDN lender code) the name of that
 * HDN lender or the lender code of the product's HDN application.
 */
const derivedPartiesSql = `select null::uuid as id, o.id as organisation_id, o.name as organisation_name, o.kind as organisation_kind, o.kind as role,
         d.id as dossier_id, d.number as dossier_number, p.id as product_id, p.type as product_type, p.company as product_company, null::timestamptz as created_at
    from organisations o
    join products p on p.office_id = o.office_id and p.company is not null
    join dossiers d on d.id = p.dossier_id
   where o.office_id = ? and o.kind in ('lender', 'insurer')
     and (lower(p.company) = lower(o.name)
          or (o.lender_code is not null
              and (exists (select 1 from hdn_applications a where a.product_id = p.id and a.lender_code = o.lender_code)
                   or exists (select 1 from hdn_lenders l where l.code = o.lender_code and lower(l.name) = lower(p.company)))))`;

function toParty(r: PartyRow): PartyLink {
  return {
    id: r.id,
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
    organisationKind: r.organisation_kind,
    role: r.role,
    dossierId: r.dossier_id,
    dossierNumber: r.dossier_number,
    productId: r.product_id,
    productType: r.product_type,
    productCompany: r.product_company,
    derived: r.id === null,
    createdAt: isoInstant(r.created_at),
  };
}

/** The dossiers and products the organisation is a party of: stored links and derived ones (lender/insurer of a product). */
export async function partiesOfOrganisation(em: EntityManager, officeId: string, organisationId: string): Promise<PartyLink[]> {
  await requireOrganisation(em, officeId, organisationId);
  const found = await rows<PartyRow>(
    em,
    `(${storedPartiesSql} and k.organisation_id = ?) union all (${derivedPartiesSql} and o.id = ?) order by dossier_number desc, product_id nulls first, role`,
    [officeId, organisationId, officeId, organisationId],
  );
  return found.map(toParty);
}

/** *Betrokken partijen* of a dossier: organisations linked to it or to its products, and the derived lender/insurer of its products. */
export async function partiesOfDossier(em: EntityManager, officeId: string, dossierId: string): Promise<PartyLink[]> {
  if (!looksLikeUuid(dossierId) || !(await one(em, 'select 1 as x from dossiers where office_id = ? and id = ?', [officeId, dossierId]))) throw refuse.notFound('Dossier', dossierId);
  const found = await rows<PartyRow>(
    em,
    `(${storedPartiesSql} and d.id = ?) union all (${derivedPartiesSql} and d.id = ?) order by product_id nulls first, role, organisation_name`,
    [officeId, dossierId, officeId, dossierId],
  );
  return found.map(toParty);
}

/**
 * Links the organisation to a dossier or a product of the office in a role. The lender or
 * insurer of a product is refused: that is the product's company, shown as a derived link.
 */
export async function addPartyLink(em: EntityManager, principal: Principal, organisationId: string, input: PartyLinkInput): Promise<PartyLink> {
  const { officeId } = principal;
  await requireOrganisation(em, officeId, organisationId);
  if ((input.dossierId === undefined) === (input.productId === undefined)) throw refuse.invalidField('/body', 'must name exactly one of dossierId and productId');
  if (input.dossierId !== undefined) {
    const found = looksLikeUuid(input.dossierId) ? await one(em, 'select 1 as x from dossiers where office_id = ? and id = ?', [officeId, input.dossierId]) : undefined;
    if (!found) throw refuse.unprocessable('unknown-dossier', `Dossier ${input.dossierId} is not a dossier of this office`);
  } else {
    const found = looksLikeUuid(input.productId ?? '') ? await one<{ company: string | null }>(em, 'select company from products where office_id = ? and id = ?', [officeId, input.productId]) : undefined;
    if (!found) throw refuse.unprocessable('unknown-product', `Product ${input.productId} is not a product of this office`);
    if (productDerivedRoles.includes(input.role)) {
      throw refuse.unprocessable(
        'role-derived-from-product',
        `The ${input.role} of a product is its company (maatschappij${found.company ? `: ${found.company}` : ''}); it is shown from there, not stored twice. ` +
          `Give the organisation that name or HDN lender code, or link it to the dossier instead.`,
      );
    }
  }
  let id: string;
  try {
    id = await insertOrganisationLink(em, { officeId, organisationId, dossierId: input.dossierId ?? null, productId: input.productId ?? null, role: input.role, actor: principal.credentialId });
  } catch (err) {
    if (isUniqueViolation(err)) throw refuse.conflict('already-linked', `The organisation is already the ${input.role} of this ${input.dossierId ? 'dossier' : 'product'}`);
    throw err;
  }
  const r = await one<PartyRow>(em, `${storedPartiesSql} and k.id = ?`, [officeId, id]);
  if (!r) throw new Error(`link ${id} vanished right after it was created`);
  return toParty(r);
}

export async function removePartyLink(em: EntityManager, officeId: string, organisationId: string, linkId: string): Promise<void> {
  await requireOrganisation(em, officeId, organisationId);
  if (!looksLikeUuid(linkId) || !(await deleteOrganisationLinkRow(em, officeId, organisationId, linkId))) throw refuse.notFound('Party link', linkId);
}

