/**
 * Family data of a person (*gezin*, issue 19 deliverable 6): the partnerships with other persons
 * of the office (current partner, ex-partners, a deceased partner) and lightweight child records.
 * Gender, marital status and date of death are person fields, edited with PATCH /persons/:id
 * (person-edit.ts, field history and optimistic concurrency); this module checks the date of
 * death of such an edit against the partnerships too.
 *
 * A partnership write locks both persons (in id order, so two writes on the same pair wait
 * instead of deadlocking) and reads all their partnerships under that lock: the
 * one-partner-at-a-time rule (domain/crm/family.ts) then holds also for two advisers at once.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { personFullName } from '../../db/entities/index.js';
import { isoDate, looksLikeUuid } from '../../db/sql.js';
import { todayInAmsterdam } from '../../domain/dates.js';
import {
  ageOn,
  childViolations,
  lifeDateViolations,
  overlapViolations,
  partnershipViolations,
  type FamilyRuleViolation,
  type PartnerFacts,
  type PartnershipPeriod,
} from '../../domain/crm/family.js';
import { DomainError, refuse } from '../../domain/errors.js';
import type { Principal } from '../../domain/roles.js';
import { requirePersonRow, whilePersonExists } from './card.js';
import type { Child, ChildInput, Family, Partnership, PartnershipInput, PartnershipUpdate } from './family.schemas.js';
import {
  applyPersonEdit,
  childRowsOf,
  deleteChildRow,
  deletePartnershipRow,
  insertChild,
  insertPartnership,
  isAnonymised,
  partnershipRowsOf,
  personOfOffice,
  updateChildRow,
  updatePartnershipRow,
  type ChildFields,
  type ChildRow,
  type PartnershipFields,
  type PartnershipRow,
  type PersonRow,
} from './store.js';

const today = (): string => todayInAmsterdam(new Date());

function refused(violations: readonly FamilyRuleViolation[]): DomainError {
  const first = violations[0];
  return new DomainError('invalid', 'validation', `Request validation failed: ${first ? `${first.path} ${first.message}` : ''}`, { errors: violations.map((v) => ({ ...v })) });
}

const factsOf = (r: PersonRow): PartnerFacts => ({ id: r.id, birthDate: isoDate(r.birth_date), dateOfDeath: isoDate(r.date_of_death) });
const periodOf = (r: PartnershipRow): PartnershipPeriod => ({ id: r.id, personId: r.person_id, partnerId: r.partner_id, startDate: isoDate(r.start_date), endDate: isoDate(r.end_date) });
const nameOf = (r: PersonRow): string => personFullName({ firstName: r.first_name, infix: r.infix, lastName: r.last_name });

function toPartnership(r: PartnershipRow, viewerId: string, persons: ReadonlyMap<string, PersonRow>): Partnership {
  const partnerId = r.person_id === viewerId ? r.partner_id : r.person_id;
  const partner = persons.get(partnerId);
  return {
    id: r.id,
    partner: {
      id: partnerId,
      name: partner ? nameOf(partner) : '',
      birthDate: partner ? isoDate(partner.birth_date) : null,
      dateOfDeath: partner ? isoDate(partner.date_of_death) : null,
    },
    kind: r.kind,
    startDate: isoDate(r.start_date),
    endDate: isoDate(r.end_date),
    endReason: r.end_reason,
    deceasedPersonId: r.deceased_person_id,
    current: r.end_date === null,
  };
}

function toChild(r: ChildRow, day: string): Child {
  const birthDate = isoDate(r.birth_date) ?? '';
  const dateOfDeath = isoDate(r.date_of_death);
  return {
    id: r.id,
    firstName: r.first_name,
    infix: r.infix,
    lastName: r.last_name,
    name: personFullName({ firstName: r.first_name, infix: r.infix, lastName: r.last_name }),
    birthDate,
    gender: r.gender,
    dateOfDeath,
    age: ageOn(birthDate, dateOfDeath ?? day),
  };
}

/** The partnerships (from the viewer's side) and children of these persons; partners read in one go. */
export async function familyPartsOf(
  em: EntityManager,
  officeId: string,
  personIds: readonly string[],
): Promise<{ partnerships: Map<string, Partnership[]>; children: Map<string, Child[]>; partners: Map<string, PersonRow> }> {
  const day = today();
  const partnershipRows = await partnershipRowsOf(em, officeId, personIds);
  const partnerIds = [...new Set(partnershipRows.flatMap((r) => [r.person_id, r.partner_id]))];
  const partners = new Map<string, PersonRow>();
  for (const id of partnerIds) {
    const row = await personOfOffice(em, officeId, id);
    if (row) partners.set(id, row);
  }
  const partnerships = new Map<string, Partnership[]>();
  const children = new Map<string, Child[]>();
  for (const id of personIds) {
    partnerships.set(id, partnershipRows.filter((r) => r.person_id === id || r.partner_id === id).map((r) => toPartnership(r, id, partners)));
    children.set(id, []);
  }
  for (const r of await childRowsOf(em, officeId, personIds)) children.get(r.person_id)?.push(toChild(r, day));
  return { partnerships, children, partners };
}

/** GET /persons/:id/family. */
export async function getFamily(em: EntityManager, officeId: string, personId: string): Promise<Family> {
  const person = await requirePersonRow(em, officeId, personId);
  const parts = await familyPartsOf(em, officeId, [personId]);
  const partnerships = parts.partnerships.get(personId) ?? [];
  return {
    personId,
    gender: person.gender,
    maritalStatus: person.marital_status,
    dateOfDeath: isoDate(person.date_of_death),
    version: Number(person.version),
    currentPartner: partnerships.find((p) => p.current) ?? null,
    partnerships,
    children: parts.children.get(personId) ?? [],
  };
}

/** Both persons of the office, locked in id order; 404 for an unknown one, 409 for an anonymised one. */
async function lockPair(tem: EntityManager, officeId: string, personId: string, partnerId: string): Promise<{ person: PersonRow; partner: PersonRow }> {
  const locked = new Map<string, PersonRow>();
  for (const id of [personId, partnerId].sort()) {
    const row = looksLikeUuid(id) ? await personOfOffice(tem, officeId, id, { forUpdate: true }) : undefined;
    if (!row) throw refuse.notFound('Person', id);
    if (isAnonymised(row)) throw refuse.conflict('anonymised', `Person ${id} is anonymised: no family data can be recorded`);
    locked.set(id, row);
  }
  return { person: locked.get(personId) as PersonRow, partner: locked.get(partnerId) as PersonRow };
}

function fieldsOf(input: PartnershipUpdate): PartnershipFields {
  return {
    kind: input.kind,
    startDate: input.startDate ?? null,
    endDate: input.endDate ?? null,
    endReason: input.endReason ?? null,
    deceasedPersonId: input.deceasedPersonId ?? null,
  };
}

/**
 * The checks and the write of a partnership (new or changed) inside the caller's transaction.
 * A partnership ended by death records the date of death on the deceased person, as a person
 * edit with a history line (so the card, the export and the AX-version check all see it).
 */
async function writePartnership(
  tem: EntityManager,
  principal: Principal,
  pair: { personId: string; partnerId: string; existingId: string | null },
  fields: PartnershipFields,
): Promise<string> {
  const { officeId } = principal;
  const { person, partner } = await lockPair(tem, officeId, pair.personId, pair.partnerId);
  const day = today();
  const violations = partnershipViolations({ id: pair.existingId ?? undefined, personId: pair.personId, partnerId: pair.partnerId, ...fields }, { person: factsOf(person), partner: factsOf(partner) }, day);
  const others = await partnershipRowsOf(tem, officeId, [pair.personId, pair.partnerId], { forUpdate: true });
  violations.push(
    ...overlapViolations(
      { id: pair.existingId ?? '', personId: pair.personId, partnerId: pair.partnerId, startDate: fields.startDate, endDate: fields.endDate },
      others.map(periodOf),
    ),
  );
  if (violations.length > 0) throw refused(violations);
  if (fields.endReason === 'death' && fields.deceasedPersonId !== null && fields.endDate !== null) {
    const deceased = fields.deceasedPersonId === person.id ? person : partner;
    if (deceased.date_of_death === null) {
      await applyPersonEdit(tem, {
        officeId,
        personId: deceased.id,
        changes: [{ field: 'dateOfDeath', oldValue: null, newValue: fields.endDate }],
        actor: principal.credentialId,
        dossierId: null,
      });
    }
  }
  if (pair.existingId !== null) {
    await updatePartnershipRow(tem, officeId, pair.existingId, fields);
    return pair.existingId;
  }
  return insertPartnership(tem, { ...fields, officeId, personId: pair.personId, partnerId: pair.partnerId, actor: principal.credentialId });
}

async function partnershipFor(em: EntityManager, officeId: string, personId: string, partnershipId: string): Promise<Partnership> {
  const family = await getFamily(em, officeId, personId);
  const found = family.partnerships.find((p) => p.id === partnershipId);
  if (!found) throw refuse.notFound('Partnership', partnershipId);
  return found;
}

/** POST /persons/:id/partnerships. */
export async function addPartnership(em: EntityManager, principal: Principal, personId: string, input: PartnershipInput): Promise<Partnership> {
  const id = await whilePersonExists(personId, () =>
    em.transactional((tem) => writePartnership(tem, principal, { personId, partnerId: input.partnerId, existingId: null }, fieldsOf(input))),
  );
  return partnershipFor(em.fork(), principal.officeId, personId, id);
}

/** The partnership of the person (either side), or 404. */
async function existingPartnership(em: EntityManager, officeId: string, personId: string, partnershipId: string): Promise<PartnershipRow> {
  await requirePersonRow(em, officeId, personId);
  const found = looksLikeUuid(partnershipId) ? (await partnershipRowsOf(em, officeId, [personId])).find((r) => r.id === partnershipId) : undefined;
  if (!found) throw refuse.notFound('Partnership', partnershipId);
  return found;
}

/** PUT /persons/:id/partnerships/:subId: the whole partnership as it is to be (e.g. ended by divorce or death). */
export async function updatePartnership(em: EntityManager, principal: Principal, personId: string, partnershipId: string, input: PartnershipUpdate): Promise<Partnership> {
  const row = await existingPartnership(em, principal.officeId, personId, partnershipId);
  await em.transactional((tem) => writePartnership(tem, principal, { personId: row.person_id, partnerId: row.partner_id, existingId: row.id }, fieldsOf(input)));
  return partnershipFor(em.fork(), principal.officeId, personId, partnershipId);
}

/** DELETE /persons/:id/partnerships/:subId: recorded by mistake (an ended partnership is ended, not deleted). */
export async function deletePartnership(em: EntityManager, principal: Principal, personId: string, partnershipId: string): Promise<void> {
  await existingPartnership(em, principal.officeId, personId, partnershipId);
  if (!(await deletePartnershipRow(em, principal.officeId, partnershipId))) throw refuse.notFound('Partnership', partnershipId);
}

function childFieldsOf(input: ChildInput): ChildFields {
  const infix = input.infix?.trim();
  return {
    firstName: input.firstName.trim(),
    infix: infix ? infix : null,
    lastName: input.lastName.trim(),
    birthDate: input.birthDate,
    gender: input.gender ?? null,
    dateOfDeath: input.dateOfDeath ?? null,
  };
}

async function checkedChild(em: EntityManager, officeId: string, personId: string, input: ChildInput): Promise<ChildFields> {
  const parent = await requirePersonRow(em, officeId, personId);
  if (isAnonymised(parent)) throw refuse.conflict('anonymised', `Person ${personId} is anonymised: no family data can be recorded`);
  const fields = childFieldsOf(input);
  const violations = childViolations(fields, { birthDate: isoDate(parent.birth_date) }, today());
  if (violations.length > 0) throw refused(violations);
  return fields;
}

async function childOf(em: EntityManager, officeId: string, personId: string, childId: string): Promise<Child> {
  const found = (await childRowsOf(em, officeId, [personId])).find((r) => r.id === childId);
  if (!found) throw refuse.notFound('Child', childId);
  return toChild(found, today());
}

/** POST /persons/:id/children. */
export async function addChild(em: EntityManager, principal: Principal, personId: string, input: ChildInput): Promise<Child> {
  const fields = await checkedChild(em, principal.officeId, personId, input);
  const id = await whilePersonExists(personId, () => insertChild(em, { ...fields, officeId: principal.officeId, personId, actor: principal.credentialId }));
  return childOf(em, principal.officeId, personId, id);
}

/** PUT /persons/:id/children/:subId: the whole child record as it is to be. */
export async function updateChild(em: EntityManager, principal: Principal, personId: string, childId: string, input: ChildInput): Promise<Child> {
  const fields = await checkedChild(em, principal.officeId, personId, input);
  if (!looksLikeUuid(childId) || !(await updateChildRow(em, principal.officeId, personId, childId, fields))) throw refuse.notFound('Child', childId);
  return childOf(em, principal.officeId, personId, childId);
}

/** DELETE /persons/:id/children/:subId. */
export async function deleteChild(em: EntityManager, principal: Principal, personId: string, childId: string): Promise<void> {
  await requirePersonRow(em, principal.officeId, personId);
  if (!looksLikeUuid(childId) || !(await deleteChildRow(em, principal.officeId, personId, childId))) throw refuse.notFound('Child', childId);
}

/**
 * The family rules of a person edit (person-edit.ts), with the values after it, in its
 * transaction: a date of death is not in the future nor before the birth, and it is the end date
 * of a partnership that ended by their death; a partnership still current or ended later than it
 * must be ended first (domain/crm/family.ts partnershipViolations, seen from the partner).
 */
export async function familyViolationsOfEdit(
  tem: EntityManager,
  officeId: string,
  personId: string,
  after: { birthDate: string | null; dateOfDeath: string | null },
): Promise<FamilyRuleViolation[]> {
  const violations = lifeDateViolations(after, today());
  if (after.dateOfDeath === null) {
    const diedIn = (await partnershipRowsOf(tem, officeId, [personId])).find((r) => r.end_reason === 'death' && r.deceased_person_id === personId);
    if (diedIn) violations.push({ path: '/body/dateOfDeath', message: `cannot be cleared: partnership ${diedIn.id} ended by their death (change that first)` });
    return violations;
  }
  for (const r of await partnershipRowsOf(tem, officeId, [personId])) {
    const endDate = isoDate(r.end_date);
    if (r.end_reason === 'death' && r.deceased_person_id === personId) {
      if (endDate !== after.dateOfDeath) violations.push({ path: '/body/dateOfDeath', message: `must be ${endDate}: partnership ${r.id} ended by their death on that day` });
    } else if (endDate === null || endDate > after.dateOfDeath) {
      violations.push({ path: '/body/dateOfDeath', message: `partnership ${r.id} ${endDate === null ? 'is still current' : `ended later (${endDate})`}: end it by death first` });
    }
  }
  return violations;
}

export { refused as familyRefusal };
