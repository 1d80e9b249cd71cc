/**
 * The one writer of the CRM tables: `persons` (*relaties*) and the parts of the CRM card
 * (`crm_*`: properties, indicators, relations, notes, signals, identification). Every function
 * runs on the EntityManager it is given, so callers decide the transaction. Office scoping of
 * reads happens in the feature modules; writes here take ids already checked by them.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Person } from '../../db/entities/index.js';
import { newId } from '../../db/ids.js';
import { isoDate, one, rows, type Row } from '../../db/sql.js';
import { personFieldChanges, type PersonEditField, type PersonFieldChange, type PersonFieldPatch, type PersonFieldValues } from '../../domain/crm/person-changes.js';
import type { Gender, MaritalStatus, PartnershipEndReason, PartnershipKind } from '../../domain/crm/family.js';
import type { IdentificationDocumentType, IdentificationMethod, NotePriority, PropertyType, RelationType } from '../../domain/crm/card.js';
import type { ContactRole, OrganisationKind, PartyRole } from '../../domain/crm/organisations.js';
import { REDACTED, likePatterns, needlePattern, scrubText, type Needles } from '../privacy/scrub.js';
import { normalisePostcode } from '../shared/schemas.js';
import type { PersonInput } from './persons.schemas.js';
import { notifyLive } from '../live/notify.js';

export const ownedTables = [
  'persons',
  'crm_property_definitions',
  'crm_property_values',
  'crm_indicators',
  'crm_person_indicators',
  'crm_relations',
  'crm_notes',
  'crm_signals',
  'crm_identifications',
  'person_field_history',
  'organisations',
  'crm_organisation_contacts',
  'crm_organisation_links',
  'crm_partnerships',
  'crm_children',
] as const;

export type { Person as PersonRecord };

// ------------------------------------------------------------------ persons

/** Every column of a `persons` row as raw SQL reads it (`select ${personColumns} from persons`): the one person row type. */
export interface PersonRow extends Row {
  id: string;
  first_name: string;
  infix: string | null;
  last_name: string;
  /** A pg `date`: read it with isoDate(). */
  birth_date: unknown;
  email: string | null;
  phone: string | null;
  street: string | null;
  house_number: number | null;
  house_number_suffix: string | null;
  postcode: string | null;
  city: string | null;
  created_at: unknown;
  /** Set once by the anonymisation (GDPR); null for a living relation. */
  anonymised_at: unknown;
  mail_opt_out: boolean;
  /** Counts every change of the row: an edit names the version it started from (optimistic concurrency). */
  version: number;
  gender: Gender | null;
  marital_status: MaritalStatus | null;
  /** A pg `date`: read it with isoDate(). */
  date_of_death: unknown;
}

export const personColumns =
  'id, first_name, infix, last_name, birth_date, email, phone, street, house_number, house_number_suffix, postcode, city, created_at, anonymised_at, mail_opt_out, version, gender, marital_status, date_of_death';

/** Whether the row is of an anonymised person. */
export function isAnonymised(p: Pick<PersonRow, 'anonymised_at'>): boolean {
  return p.anonymised_at !== null && p.anonymised_at !== undefined;
}

/** The person of the office (locked for the caller's transaction with `forUpdate`), if any. */
export async function personOfOffice(em: EntityManager, officeId: string, personId: string, opts: { forUpdate?: boolean } = {}): Promise<PersonRow | undefined> {
  return one<PersonRow>(em, `select ${personColumns} from persons where office_id = ? and id = ?${opts.forUpdate ? ' for update' : ''}`, [officeId, personId]);
}

/** Adds a new person to the unit of work (no duplicate check: the caller does it); flushed with the caller's transaction. Returns the new id. */
export function insertPerson(em: EntityManager, officeId: string, input: PersonInput): string {
  const id = newId();
  const now = new Date();
  em.create(Person, {
    id,
    officeId,
    firstName: input.firstName.trim(),
    infix: input.infix?.trim() ? input.infix.trim() : null,
    lastName: input.lastName.trim(),
    birthDate: input.birthDate ?? null,
    email: input.email?.trim() ?? null,
    phone: input.phone?.trim() ?? null,
    street: input.address?.street.trim() ?? null,
    houseNumber: input.address?.houseNumber ?? null,
    houseNumberSuffix: input.address?.houseNumberSuffix?.trim() ?? null,
    postcode: input.address ? normalisePostcode(input.address.postcode) : null,
    city: input.address?.city.trim() ?? null,
    country: 'NL',
    createdAt: now,
    updatedAt: now,
  });
  return id;
}

/** The column of each edited field (domain/crm/person-changes.ts). */
const personFieldColumn: Record<PersonEditField, string> = {
  firstName: 'first_name',
  infix: 'infix',
  lastName: 'last_name',
  birthDate: 'birth_date',
  email: 'email',
  phone: 'phone',
  street: 'street',
  houseNumber: 'house_number',
  houseNumberSuffix: 'house_number_suffix',
  postcode: 'postcode',
  city: 'city',
  gender: 'gender',
  maritalStatus: 'marital_status',
  dateOfDeath: 'date_of_death',
};

/** A person's edited fields as text, null when empty (the form the history compares and keeps). */
export function personFieldValuesOf(r: PersonRow): PersonFieldValues {
  return {
    firstName: r.first_name,
    infix: r.infix,
    lastName: r.last_name,
    birthDate: isoDate(r.birth_date),
    email: r.email,
    phone: r.phone,
    street: r.street,
    houseNumber: r.house_number === null ? null : String(r.house_number),
    houseNumberSuffix: r.house_number_suffix,
    postcode: r.postcode,
    city: r.city,
    gender: r.gender,
    maritalStatus: r.marital_status,
    dateOfDeath: isoDate(r.date_of_death),
  };
}

/**
 * Applies an edit of a person: the changed fields (already normalised by the caller), the
 * version counted up, and one history line per field, in the caller's transaction (which holds
 * the row lock and checked the version it started from).
 */
export async function applyPersonEdit(
  tem: EntityManager,
  edit: { officeId: string; personId: string; changes: readonly PersonFieldChange[]; actor: string; dossierId: string | null },
): Promise<void> {
  if (edit.changes.length === 0) return;
  const sets = edit.changes.map((c) => `${personFieldColumn[c.field]} = ?${c.field === 'birthDate' || c.field === 'dateOfDeath' ? '::date' : c.field === 'houseNumber' ? '::integer' : ''}`);
  // The database's clock (the transaction's now()), the one the HDN send times are on too.
  await tem.execute(`update persons set ${sets.join(', ')}, version = version + 1, updated_at = now() where id = ? and office_id = ?`, [
    ...edit.changes.map((c) => c.newValue),
    edit.personId,
    edit.officeId,
  ]);
  for (const c of edit.changes) {
    await tem.execute(
      `insert into person_field_history (id, office_id, person_id, field, old_value, new_value, actor, dossier_id, at) values (?, ?, ?, ?, ?, ?, ?, ?, now())`,
      [newId(), edit.officeId, edit.personId, c.field, c.oldValue, c.newValue, edit.actor, edit.dossierId],
    );
  }
}

/** Contact data a person lacks, filled in from elsewhere (e.g. an AX); only the given fields change. */
export interface ContactDataFill {
  email?: string;
  phone?: string;
  address?: { street: string; houseNumber: number; houseNumberSuffix: string | null; postcode: string; city: string };
}

/** The actor of history lines written when a converted AX fills in contact data the person lacked. */
export const AX_FILL_ACTOR = 'system:hdn-ax';

/**
 * Fills in what the person lacks (only the given fields), with a history line per field like an
 * edit (actor `system:hdn-ax`), so the card shows where the data came from.
 */
export async function fillContactData(em: EntityManager, personId: string, fill: ContactDataFill): Promise<void> {
  const patch: PersonFieldPatch = {};
  if (fill.email !== undefined) patch.email = fill.email;
  if (fill.phone !== undefined) patch.phone = fill.phone;
  if (fill.address) {
    const a = fill.address;
    Object.assign(patch, { street: a.street, houseNumber: a.houseNumber, houseNumberSuffix: a.houseNumberSuffix, postcode: a.postcode, city: a.city });
  }
  if (Object.keys(patch).length === 0) return;
  const row = await one<PersonRow & { office_id: string }>(em, `select ${personColumns}, office_id from persons where id = ? for update`, [personId]);
  if (!row) return;
  const changes = personFieldChanges(personFieldValuesOf(row), patch);
  await applyPersonEdit(em, { officeId: row.office_id, personId, changes, actor: AX_FILL_ACTOR, dossierId: null });
}

/** A person's wish not to receive campaign mails. False when the person is not in the office. */
export async function setMailOptOut(em: EntityManager, officeId: string, personId: string, optOut: boolean): Promise<boolean> {
  const result = (await em.execute(`update persons set mail_opt_out = ?, version = version + 1, updated_at = now() where id = ? and office_id = ?`, [optOut, personId, officeId], 'run')) as {
    affectedRows?: number;
  };
  return (result.affectedRows ?? 0) > 0;
}

/**
 * Replaces the person's identifying data (GDPR): the row stays, so dossiers, products and
 * history keep pointing at it; the name becomes `redacted`, everything else is cleared.
 */
export async function anonymisePersonRow(tem: EntityManager, personId: string, redacted: string): Promise<void> {
  await tem.execute(
    `update persons set first_name = ?, infix = null, last_name = ?, birth_date = null, email = null, phone = null,
            street = null, house_number = null, house_number_suffix = null, postcode = null, city = null,
            gender = null, marital_status = null, date_of_death = null,
            mail_opt_out = true, anonymised_at = now(), version = version + 1, updated_at = now()
      where id = ?`,
    [redacted, redacted, personId],
  );
}

/** Deletes the person row (rows that cascade with it go too); the caller checked nothing else is linked. */
export async function deletePersonRow(tem: EntityManager, personId: string): Promise<void> {
  await tem.execute('delete from persons where id = ?', [personId]);
}

// ------------------------------------------------------------------ the card: row types and columns

export interface PropertyDefinitionRow extends Row {
  id: string;
  key: string;
  label: string;
  type: PropertyType;
  choices: string[] | null;
  created_at: unknown;
}
export const propertyDefinitionColumns = 'id, key, label, type, choices, created_at';

export interface IndicatorRow extends Row {
  id: string;
  label: string;
  show_in_dossier: boolean;
}

export interface NoteRow extends Row {
  id: string;
  title: string;
  text: string;
  priority: NotePriority;
  show_in_dossier: boolean;
  always_first: boolean;
  created_by: string;
  /** The author's credential name, where a read joins it (listNotes). */
  created_by_name?: string | null;
  created_at: unknown;
  updated_at: unknown;
}
export const noteColumns = 'id, title, text, priority, show_in_dossier, always_first, created_by, created_at, updated_at';

/** A signal is due when it is open and its date (and time, or the start of the day) has come in Amsterdam. */
export function signalDueSql(alias = ''): string {
  const a = alias ? `${alias}.` : '';
  return `(not ${a}done and (${a}due_date + coalesce(${a}due_time, time '00:00')) <= (now() at time zone 'Europe/Amsterdam'))`;
}

export interface SignalRow extends Row {
  id: string;
  title: string;
  due_date: unknown;
  due_time: string | null;
  done: boolean;
  due: boolean;
  created_at: unknown;
}
export const signalColumns = `id, title, due_date, due_time::text as due_time, done, ${signalDueSql()} as due, created_at`;

// ------------------------------------------------------------------ admin definitions

/** A free property definition; throws Postgres' unique_violation (23505) when the key exists in the office. */
export async function insertPropertyDefinition(
  em: EntityManager,
  officeId: string,
  def: { key: string; label: string; type: PropertyType; choices: string[] | null },
): Promise<PropertyDefinitionRow> {
  const [r] = await rows<PropertyDefinitionRow>(
    em,
    `insert into crm_property_definitions (id, office_id, key, label, type, choices) values (?, ?, ?, ?, ?, ?::jsonb)
     returning ${propertyDefinitionColumns}`,
    [newId(), officeId, def.key, def.label, def.type, def.choices ? JSON.stringify(def.choices) : null],
  );
  if (!r) throw new Error('insert returned no row');
  return r;
}

/** An indicator; throws Postgres' unique_violation (23505) when the label exists in the office. */
export async function insertIndicator(em: EntityManager, officeId: string, indicator: { id: string; label: string; showInDossier: boolean }): Promise<void> {
  await em.execute('insert into crm_indicators (id, office_id, label, show_in_dossier) values (?, ?, ?, ?)', [
    indicator.id,
    officeId,
    indicator.label,
    indicator.showInDossier,
  ]);
}

// ------------------------------------------------------------------ a person's card

/** Sets (or replaces) a property value of the person; `null` removes it. */
export async function setPropertyValueRow(em: EntityManager, personId: string, propertyId: string, value: unknown, actor: string): Promise<void> {
  if (value === null) {
    await em.execute('delete from crm_property_values where person_id = ? and property_id = ?', [personId, propertyId]);
    return;
  }
  await em.execute(
    `insert into crm_property_values (person_id, property_id, value, updated_by) values (?, ?, ?::jsonb, ?)
     on conflict (person_id, property_id) do update set value = excluded.value, updated_by = excluded.updated_by, updated_at = now()`,
    [personId, propertyId, JSON.stringify(value), actor],
  );
}

/** Replaces the person's active indicators by exactly these (in the caller's transaction). */
export async function replacePersonIndicators(tem: EntityManager, personId: string, indicatorIds: readonly string[]): Promise<void> {
  await tem.execute('delete from crm_person_indicators where person_id = ?', [personId]);
  for (const id of indicatorIds) {
    await tem.execute('insert into crm_person_indicators (person_id, indicator_id) values (?, ?)', [personId, id]);
  }
}

/**
 * "otherId is personId's <type>", and with an inverse also the mirrored row on the other card
 * (kept when the other side was recorded by hand before: nothing is linked twice). Both rows
 * share a pair id. Returns the id of the row on personId's card.
 */
export async function insertRelationPair(
  tem: EntityManager,
  r: { officeId: string; personId: string; otherId: string; type: RelationType; inverse: RelationType | null; actor: string },
): Promise<string> {
  const id = newId();
  const pairId = newId();
  await tem.execute(
    `insert into crm_relations (id, office_id, person_id, related_person_id, type, pair_id, created_by) values (?, ?, ?, ?, ?, ?, ?)`,
    [id, r.officeId, r.personId, r.otherId, r.type, pairId, r.actor],
  );
  if (r.inverse) {
    await tem.execute(
      `insert into crm_relations (id, office_id, person_id, related_person_id, type, pair_id, created_by) values (?, ?, ?, ?, ?, ?, ?)
       on conflict (person_id, related_person_id, type) do nothing`,
      [newId(), r.officeId, r.otherId, r.personId, r.inverse, pairId, r.actor],
    );
  }
  return id;
}

/** Removes both rows of a relation (its mirror on the other card too). */
export async function deleteRelationPair(em: EntityManager, pairId: string): Promise<void> {
  await em.execute('delete from crm_relations where pair_id = ?', [pairId]);
}

export interface NoteFields {
  title: string;
  text: string;
  priority: NotePriority;
  showInDossier: boolean;
  alwaysFirst: boolean;
}

export async function insertNote(em: EntityManager, n: NoteFields & { officeId: string; personId: string; actor: string }): Promise<NoteRow> {
  const [r] = await rows<NoteRow>(
    em,
    `insert into crm_notes (id, office_id, person_id, title, text, priority, show_in_dossier, always_first, created_by)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?) returning ${noteColumns}`,
    [newId(), n.officeId, n.personId, n.title, n.text, n.priority, n.showInDossier, n.alwaysFirst, n.actor],
  );
  if (!r) throw new Error('insert returned no row');
  return r;
}

/** The note with all its fields replaced; undefined when the person has no such note. */
export async function updateNoteRow(em: EntityManager, officeId: string, personId: string, noteId: string, n: NoteFields): Promise<NoteRow | undefined> {
  const [r] = await rows<NoteRow>(
    em,
    `update crm_notes set title = ?, text = ?, priority = ?, show_in_dossier = ?, always_first = ?, updated_at = now()
      where office_id = ? and person_id = ? and id = ? returning ${noteColumns}`,
    [n.title, n.text, n.priority, n.showInDossier, n.alwaysFirst, officeId, personId, noteId],
  );
  return r;
}

/** False when the person has no such note. */
export async function deleteNoteRow(em: EntityManager, officeId: string, personId: string, noteId: string): Promise<boolean> {
  const [r] = await rows<{ id: string }>(em, 'delete from crm_notes where office_id = ? and person_id = ? and id = ? returning id', [officeId, personId, noteId]);
  return r !== undefined;
}

export async function insertSignal(
  em: EntityManager,
  s: { officeId: string; personId: string; title: string; date: string; time: string | null; actor: string },
): Promise<SignalRow> {
  const [r] = await rows<SignalRow>(
    em,
    `insert into crm_signals (id, office_id, person_id, title, due_date, due_time, created_by) values (?, ?, ?, ?, ?::date, ?::time, ?)
     returning ${signalColumns}`,
    [newId(), s.officeId, s.personId, s.title, s.date, s.time, s.actor],
  );
  if (!r) throw new Error('insert returned no row');
  await notifyLive(em, { kind: 'signal', id: r.id, officeId: s.officeId, personId: s.personId });
  return r;
}

/** The given fields of a signal changed (`done` keeps its first completion time); undefined when the person has no such signal. */
export async function updateSignalRow(
  em: EntityManager,
  officeId: string,
  personId: string,
  signalId: string,
  patch: { title?: string; date?: string; time?: string | null; done?: boolean },
): Promise<SignalRow | undefined> {
  const sets: string[] = [];
  const params: unknown[] = [];
  if (patch.title !== undefined) {
    sets.push('title = ?');
    params.push(patch.title);
  }
  if (patch.date !== undefined) {
    sets.push('due_date = ?::date');
    params.push(patch.date);
  }
  if (patch.time !== undefined) {
    sets.push('due_time = ?::time');
    params.push(patch.time);
  }
  if (patch.done !== undefined) {
    // done_at keeps the first completion time when "done" is sent again.
    sets.push('done = ?', 'done_at = case when ? then coalesce(done_at, now()) else null end');
    params.push(patch.done, patch.done);
  }
  const [r] = await rows<SignalRow>(
    em,
    `update crm_signals set ${sets.join(', ')} where office_id = ? and person_id = ? and id = ? returning ${signalColumns}`,
    [...params, officeId, personId, signalId],
  );
  return r;
}

/** False when the person has no such signal. */
export async function deleteSignalRow(em: EntityManager, officeId: string, personId: string, signalId: string): Promise<boolean> {
  const [r] = await rows<{ id: string }>(em, 'delete from crm_signals where office_id = ? and person_id = ? and id = ? returning id', [officeId, personId, signalId]);
  return r !== undefined;
}

/** Records (or replaces) how the person's identity was checked: one record per person. */
export async function upsertIdentification(
  em: EntityManager,
  i: {
    personId: string;
    officeId: string;
    method: IdentificationMethod;
    documentType: IdentificationDocumentType;
    documentNumber: string | null;
    validUntil: string | null;
    checkedBy: string;
    checkedAt: string;
  },
): Promise<void> {
  await em.execute(
    `insert into crm_identifications (person_id, office_id, method, document_type, document_number, valid_until, checked_by, checked_at)
     values (?, ?, ?, ?, ?, ?::date, ?, ?::timestamptz)
     on conflict (person_id) do update set method = excluded.method, document_type = excluded.document_type,
       document_number = excluded.document_number, valid_until = excluded.valid_until, checked_by = excluded.checked_by,
       checked_at = excluded.checked_at, updated_at = now()`,
    [i.personId, i.officeId, i.method, i.documentType, i.documentNumber, i.validUntil, i.checkedBy, i.checkedAt],
  );
}

// ------------------------------------------------------------------ anonymisation of the card

async function countReturned(em: EntityManager, sql: string, params: unknown[]): Promise<number> {
  return (await rows(em, `${sql} returning 1 as x`, params)).length;
}

/**
 * What anonymising a person does to their CRM card (inside the anonymisation's transaction,
 * services/privacy/anonymise.ts). Returns changed rows per table for the audit (zeros left out).
 *
 * - Notes, signals, free property values and indicator links are theirs alone: deleted.
 * - Relations go on both cards (the mirrored row on the other person's card names them too).
 * - The identification record stays (Wwft art. 33: proof that the identity was checked, how,
 *   by whom and when), without the document number and its validity date.
 * - Notes and signals on OTHER persons' cards that name them get their identifying strings replaced.
 */
export async function anonymiseCrmCard(em: EntityManager, officeId: string, personId: string, needles: Needles): Promise<Record<string, number>> {
  const changes: Record<string, number> = {
    crm_notes: await countReturned(em, 'delete from crm_notes where person_id = ?', [personId]),
    crm_signals: await countReturned(em, 'delete from crm_signals where person_id = ?', [personId]),
    crm_property_values: await countReturned(em, 'delete from crm_property_values where person_id = ?', [personId]),
    crm_person_indicators: await countReturned(em, 'delete from crm_person_indicators where person_id = ?', [personId]),
    crm_relations: await countReturned(em, 'delete from crm_relations where person_id = ? or related_person_id = ?', [personId, personId]),
    // Family data (issue 19): their partnerships go from both cards (the partner's history named
    // them), their child records are theirs alone.
    crm_partnerships: await countReturned(em, 'delete from crm_partnerships where person_id = ? or partner_id = ?', [personId, personId]),
    crm_children: await countReturned(em, 'delete from crm_children where person_id = ?', [personId]),
    // The lines stay (that a field changed, by whom and when); the values were theirs.
    person_field_history: await countReturned(
      em,
      'update person_field_history set old_value = null, new_value = null where person_id = ? and (old_value is not null or new_value is not null)',
      [personId],
    ),
    crm_identifications: await countReturned(
      em,
      'update crm_identifications set document_number = null, valid_until = null, updated_at = now() where person_id = ? and (document_number is not null or valid_until is not null)',
      [personId],
    ),
  };
  // Other people's notes may mention them (strong needles only: their first name alone is not theirs).
  const pattern = needlePattern(needles.strong);
  if (pattern && needles.strong.length > 0) {
    const hits = await rows<{ id: string; title: string; text: string }>(
      em,
      `select id, title, text from crm_notes where office_id = ? and (title ilike any(array[?]::text[]) or text ilike any(array[?]::text[])) for update`,
      [officeId, likePatterns(needles.strong), likePatterns(needles.strong)],
    );
    for (const h of hits) {
      const title = scrubText(h.title, pattern);
      await em.execute('update crm_notes set title = ?, text = ?, updated_at = now() where id = ?', [title.trim() ? title : REDACTED, scrubText(h.text, pattern), h.id]);
    }
    changes.crm_notes = (changes.crm_notes ?? 0) + hits.length;
    const signalHits = await rows<{ id: string; title: string }>(
      em,
      `select id, title from crm_signals where office_id = ? and title ilike any(array[?]::text[]) for update`,
      [officeId, likePatterns(needles.strong)],
    );
    for (const h of signalHits) await em.execute('update crm_signals set title = ? where id = ?', [scrubText(h.title, pattern), h.id]);
    changes.crm_signals = (changes.crm_signals ?? 0) + signalHits.length;
  }
  Object.assign(changes, await anonymiseOrganisationsOf(em, officeId, personId, needles));
  return Object.fromEntries(Object.entries(changes).filter(([, n]) => n > 0));
}

// ------------------------------------------------------------------ organisations (issue 19 deliverable 3)

/** Every column of an `organisations` row as raw SQL reads it: the one organisation row type. */
export interface OrganisationRow extends Row {
  id: string;
  kind: OrganisationKind;
  name: string;
  kvk_number: string | null;
  establishment_number: string | null;
  lender_code: string | null;
  street: string | null;
  house_number: number | null;
  house_number_suffix: string | null;
  postcode: string | null;
  city: string | null;
  phone: string | null;
  email: string | null;
  website: string | null;
  archived_at: unknown;
  version: number;
  created_at: unknown;
  updated_at: unknown;
}
export const organisationColumns =
  'id, kind, name, kvk_number, establishment_number, lender_code, street, house_number, house_number_suffix, postcode, city, phone, email, website, archived_at, version, created_at, updated_at';

/** The stored fields of an organisation, already normalised by the caller (services/crm/organisations.ts). */
export interface OrganisationFields {
  kind: OrganisationKind;
  name: string;
  kvkNumber: string | null;
  establishmentNumber: string | null;
  lenderCode: string | null;
  street: string | null;
  houseNumber: number | null;
  houseNumberSuffix: string | null;
  postcode: string | null;
  city: string | null;
  phone: string | null;
  email: string | null;
  website: string | null;
}

export async function insertOrganisation(em: EntityManager, officeId: string, f: OrganisationFields, actor: string): Promise<string> {
  const id = newId();
  await em.execute(
    `insert into organisations (id, office_id, kind, name, kvk_number, establishment_number, lender_code, street, house_number, house_number_suffix,
       postcode, city, phone, email, website, created_by) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [id, officeId, f.kind, f.name, f.kvkNumber, f.establishmentNumber, f.lenderCode, f.street, f.houseNumber, f.houseNumberSuffix, f.postcode, f.city, f.phone, f.email, f.website, actor],
  );
  return id;
}

/** The organisation of the office (locked for the caller's transaction with `forUpdate`), if any. */
export async function organisationOfOffice(em: EntityManager, officeId: string, id: string, opts: { forUpdate?: boolean } = {}): Promise<OrganisationRow | undefined> {
  return one<OrganisationRow>(em, `select ${organisationColumns} from organisations where office_id = ? and id = ?${opts.forUpdate ? ' for update' : ''}`, [officeId, id]);
}

/** Replaces every field (and the archive mark) of a locked organisation; the version counts up. */
export async function updateOrganisationRow(tem: EntityManager, officeId: string, id: string, f: OrganisationFields, archived: boolean): Promise<void> {
  await tem.execute(
    `update organisations set kind = ?, name = ?, kvk_number = ?, establishment_number = ?, lender_code = ?, street = ?, house_number = ?,
       house_number_suffix = ?, postcode = ?, city = ?, phone = ?, email = ?, website = ?,
       archived_at = case when ? then coalesce(archived_at, now()) else null end,
       version = version + 1, updated_at = now()
     where office_id = ? and id = ?`,
    [f.kind, f.name, f.kvkNumber, f.establishmentNumber, f.lenderCode, f.street, f.houseNumber, f.houseNumberSuffix, f.postcode, f.city, f.phone, f.email, f.website, archived, officeId, id],
  );
}

/** Deletes an organisation (its contact and party links cascade; the caller checked there are none). */
export async function deleteOrganisationRow(tem: EntityManager, officeId: string, id: string): Promise<void> {
  await tem.execute('delete from organisations where office_id = ? and id = ?', [officeId, id]);
}

export interface ContactFields {
  role: ContactRole;
  functionTitle: string | null;
  startDate: string | null;
  endDate: string | null;
}

/** A contact person of an organisation; throws Postgres' unique_violation (23505) when the person has this role there already. */
export async function insertOrganisationContact(em: EntityManager, c: ContactFields & { officeId: string; organisationId: string; personId: string; actor: string }): Promise<string> {
  const id = newId();
  await em.execute(
    `insert into crm_organisation_contacts (id, office_id, organisation_id, person_id, role, function_title, start_date, end_date, created_by)
     values (?, ?, ?, ?, ?, ?, ?::date, ?::date, ?)`,
    [id, c.officeId, c.organisationId, c.personId, c.role, c.functionTitle, c.startDate, c.endDate, c.actor],
  );
  return id;
}

/** False when the organisation has no such contact; throws 23505 when the new role is taken by the same person. */
export async function updateOrganisationContactRow(em: EntityManager, officeId: string, organisationId: string, contactId: string, c: ContactFields): Promise<boolean> {
  const found = await rows<{ id: string }>(
    em,
    `update crm_organisation_contacts set role = ?, function_title = ?, start_date = ?::date, end_date = ?::date
      where office_id = ? and organisation_id = ? and id = ? returning id`,
    [c.role, c.functionTitle, c.startDate, c.endDate, officeId, organisationId, contactId],
  );
  return found.length > 0;
}

export async function deleteOrganisationContactRow(em: EntityManager, officeId: string, organisationId: string, contactId: string): Promise<boolean> {
  const found = await rows<{ id: string }>(em, 'delete from crm_organisation_contacts where office_id = ? and organisation_id = ? and id = ? returning id', [officeId, organisationId, contactId]);
  return found.length > 0;
}

/** An organisation as party of a dossier or a product; throws 23505 when that link exists already. */
export async function insertOrganisationLink(
  em: EntityManager,
  l: { officeId: string; organisationId: string; dossierId: string | null; productId: string | null; role: PartyRole; actor: string },
): Promise<string> {
  const id = newId();
  await em.execute(
    `insert into crm_organisation_links (id, office_id, organisation_id, dossier_id, product_id, role, created_by) values (?, ?, ?, ?, ?, ?, ?)`,
    [id, l.officeId, l.organisationId, l.dossierId, l.productId, l.role, l.actor],
  );
  return id;
}

export async function deleteOrganisationLinkRow(em: EntityManager, officeId: string, organisationId: string, linkId: string): Promise<boolean> {
  const found = await rows<{ id: string }>(em, 'delete from crm_organisation_links where office_id = ? and organisation_id = ? and id = ? returning id', [officeId, organisationId, linkId]);
  return found.length > 0;
}

/**
 * What anonymising a person does to organisations (inside anonymiseCrmCard's transaction):
 * - their contact-person links go (role, function title and period say who they are and where
 *   they work);
 * - an organisation that names them by a strong needle (a sole trader, *eenmanszaak*, trading
 *   under their name, their e-mail or phone, at their home address) loses every field that
 *   holds their data: name and address scrubbed of their name parts, contact data that is theirs
 *   cleared. Business data of other organisations is not theirs and stays.
 */
export async function anonymiseOrganisationsOf(em: EntityManager, officeId: string, personId: string, needles: Needles): Promise<Record<string, number>> {
  const changes: Record<string, number> = {
    crm_organisation_contacts: await countReturned(em, 'delete from crm_organisation_contacts where person_id = ?', [personId]),
  };
  const strong = needlePattern(needles.strong);
  const scoped = needlePattern(needles.scoped);
  if (!strong || needles.strong.length === 0) return changes;
  const hits = await rows<OrganisationRow>(
    em,
    `select ${organisationColumns} from organisations
      where office_id = ? and concat_ws(' ', name, concat_ws(' ', street, house_number::text || coalesce(house_number_suffix, '')), postcode, phone, email, website)
            ilike any(array[?]::text[]) for update`,
    [officeId, likePatterns(needles.strong)],
  );
  for (const o of hits) {
    const scrub = (v: string | null): string | null => (v === null ? null : scrubText(v, scoped));
    const theirs = (v: string | null): boolean => v !== null && scrubText(v, scoped) !== v;
    // Street, house number, postcode and city are one address: when any part is theirs, all go.
    const address = [o.street, o.postcode, o.city].some(theirs);
    const name = scrub(o.name) ?? REDACTED;
    await em.execute(
      `update organisations set name = ?, street = ?, house_number = ?, house_number_suffix = ?, postcode = ?, city = ?,
         phone = ?, email = ?, website = ?, version = version + 1, updated_at = now() where id = ?`,
      [
        name.trim() ? name : REDACTED,
        address ? null : o.street,
        address ? null : o.house_number,
        address ? null : o.house_number_suffix,
        address ? null : o.postcode,
        address ? null : o.city,
        theirs(o.phone) ? null : o.phone,
        theirs(o.email) ? null : o.email,
        theirs(o.website) ? null : o.website,
        o.id,
      ],
    );
  }
  changes.organisations = hits.length;
  return changes;
}

// ------------------------------------------------------------------ family data (issue 19)

/** A `crm_partnerships` row: one per partnership, not mirrored (read with `person_id = ? or partner_id = ?`). */
export interface PartnershipRow extends Row {
  id: string;
  person_id: string;
  partner_id: string;
  kind: PartnershipKind;
  /** pg `date`s: read them with isoDate(). */
  start_date: unknown;
  end_date: unknown;
  end_reason: PartnershipEndReason | null;
  deceased_person_id: string | null;
  created_at: unknown;
}
export const partnershipColumns = 'id, person_id, partner_id, kind, start_date, end_date, end_reason, deceased_person_id, created_at';

export interface PartnershipFields {
  kind: PartnershipKind;
  startDate: string | null;
  endDate: string | null;
  endReason: PartnershipEndReason | null;
  deceasedPersonId: string | null;
}

/** The partnerships of these persons in the office (either side), oldest first; `forUpdate` locks them for the caller's transaction. */
export async function partnershipRowsOf(em: EntityManager, officeId: string, personIds: readonly string[], opts: { forUpdate?: boolean } = {}): Promise<PartnershipRow[]> {
  if (personIds.length === 0) return [];
  const marks = personIds.map(() => '?').join(', ');
  return rows<PartnershipRow>(
    em,
    `select ${partnershipColumns} from crm_partnerships where office_id = ? and (person_id in (${marks}) or partner_id in (${marks}))
      order by start_date nulls first, created_at, id${opts.forUpdate ? ' for update' : ''}`,
    [officeId, ...personIds, ...personIds],
  );
}

export async function insertPartnership(tem: EntityManager, p: PartnershipFields & { officeId: string; personId: string; partnerId: string; actor: string }): Promise<string> {
  const id = newId();
  await tem.execute(
    `insert into crm_partnerships (id, office_id, person_id, partner_id, kind, start_date, end_date, end_reason, deceased_person_id, created_by)
     values (?, ?, ?, ?, ?, ?::date, ?::date, ?, ?, ?)`,
    [id, p.officeId, p.personId, p.partnerId, p.kind, p.startDate, p.endDate, p.endReason, p.deceasedPersonId, p.actor],
  );
  return id;
}

export async function updatePartnershipRow(tem: EntityManager, officeId: string, id: string, p: PartnershipFields): Promise<void> {
  await tem.execute(
    `update crm_partnerships set kind = ?, start_date = ?::date, end_date = ?::date, end_reason = ?, deceased_person_id = ?, updated_at = now()
      where office_id = ? and id = ?`,
    [p.kind, p.startDate, p.endDate, p.endReason, p.deceasedPersonId, officeId, id],
  );
}

export async function deletePartnershipRow(em: EntityManager, officeId: string, id: string): Promise<boolean> {
  return (await countReturned(em, 'delete from crm_partnerships where office_id = ? and id = ?', [officeId, id])) > 0;
}

/** A `crm_children` row: a lightweight child record on a parent. */
export interface ChildRow extends Row {
  id: string;
  person_id: string;
  first_name: string;
  infix: string | null;
  last_name: string;
  birth_date: unknown;
  gender: Gender | null;
  date_of_death: unknown;
}
export const childColumns = 'id, person_id, first_name, infix, last_name, birth_date, gender, date_of_death';

export interface ChildFields {
  firstName: string;
  infix: string | null;
  lastName: string;
  birthDate: string;
  gender: Gender | null;
  dateOfDeath: string | null;
}

/** The child records of these parents in the office, by birth date. */
export async function childRowsOf(em: EntityManager, officeId: string, personIds: readonly string[]): Promise<ChildRow[]> {
  if (personIds.length === 0) return [];
  return rows<ChildRow>(
    em,
    `select ${childColumns} from crm_children where office_id = ? and person_id in (${personIds.map(() => '?').join(', ')}) order by birth_date, first_name, id`,
    [officeId, ...personIds],
  );
}

export async function insertChild(em: EntityManager, c: ChildFields & { officeId: string; personId: string; actor: string }): Promise<string> {
  const id = newId();
  await em.execute(
    `insert into crm_children (id, office_id, person_id, first_name, infix, last_name, birth_date, gender, date_of_death, created_by)
     values (?, ?, ?, ?, ?, ?, ?::date, ?, ?::date, ?)`,
    [id, c.officeId, c.personId, c.firstName, c.infix, c.lastName, c.birthDate, c.gender, c.dateOfDeath, c.actor],
  );
  return id;
}

export async function updateChildRow(em: EntityManager, officeId: string, personId: string, id: string, c: ChildFields): Promise<boolean> {
  return (
    (await countReturned(
      em,
      `update crm_children set first_name = ?, infix = ?, last_name = ?, birth_date = ?::date, gender = ?, date_of_death = ?::date, updated_at = now()
        where office_id = ? and person_id = ? and id = ?`,
      [c.firstName, c.infix, c.lastName, c.birthDate, c.gender, c.dateOfDeath, officeId, personId, id],
    )) > 0
  );
}

export async function deleteChildRow(em: EntityManager, officeId: string, personId: string, id: string): Promise<boolean> {
  return (await countReturned(em, 'delete from crm_children where office_id = ? and person_id = ? and id = ?', [officeId, personId, id])) > 0;
}
