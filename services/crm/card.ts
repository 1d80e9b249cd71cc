/**
 * Reading the CRM card (*relatiekaart*): every part of it, scoped to the office of the caller.
 * Raw SQL through the request's EntityManager, like the other read models.
 */
import { ForeignKeyConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { personFullName } from '../../db/entities/index.js';
import type {
  CrmCard,
  Identification,
  Indicator,
  Note,
  NoteSort,
  PropertyDefinition,
  PropertyValue,
  Relation,
  RelationType,
  Signal,
} from './card.schemas.js';
import { toPerson } from './persons.js';
import {
  isAnonymised,
  noteColumns,
  personOfOffice,
  propertyDefinitionColumns,
  signalColumns,
  type IndicatorRow,
  type NoteRow,
  type PersonRow,
  type PropertyDefinitionRow,
  type SignalRow,
} from './store.js';
import type { IdentificationDocumentType, IdentificationMethod } from '../../domain/crm/card.js';
import { refuse } from '../../domain/errors.js';
import { isoDate, isoInstant, looksLikeUuid, one, rows } from '../../db/sql.js';

export { noteColumns, signalColumns, signalDueSql } from './store.js';

/** The person row of the office, or 404. Anonymised persons still have a card (it is empty). */
export async function requirePersonRow(em: EntityManager, officeId: string, id: string): Promise<PersonRow> {
  const r = looksLikeUuid(id) ? await personOfOffice(em, officeId, id) : undefined;
  if (!r) throw refuse.notFound('Person', id);
  return r;
}

/**
 * Runs a write that stores rows of the person: the person can be deleted between the check
 * (`requirePersonRow`) and the insert, which then breaks the foreign key; that is the same
 * answer as a person that was never there (404), not a 500.
 */
export async function whilePersonExists<T>(personId: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof ForeignKeyConstraintViolationException) throw refuse.notFound('Person', personId);
    throw err;
  }
}

/** The name columns of a person row. */
type NameColumns = Pick<PersonRow, 'first_name' | 'infix' | 'last_name'>;

const nameOf = (r: NameColumns): string =>
  personFullName({ firstName: r.first_name, infix: r.infix, lastName: r.last_name });

// ---- definitions ----------------------------------------------------------------------------

export function toDefinition(r: PropertyDefinitionRow): PropertyDefinition {
  return { id: r.id, key: r.key, label: r.label, type: r.type, choices: r.choices, createdAt: isoInstant(r.created_at) ?? '' };
}

export async function listPropertyDefinitions(em: EntityManager, officeId: string): Promise<PropertyDefinition[]> {
  const found = await rows<PropertyDefinitionRow>(
    em,
    `select ${propertyDefinitionColumns} from crm_property_definitions where office_id = ? order by label, key`,
    [officeId],
  );
  return found.map(toDefinition);
}

export async function findPropertyDefinition(em: EntityManager, officeId: string, key: string): Promise<PropertyDefinition | undefined> {
  const r = await one<PropertyDefinitionRow>(
    em,
    `select ${propertyDefinitionColumns} from crm_property_definitions where office_id = ? and key = ?`,
    [officeId, key],
  );
  return r ? toDefinition(r) : undefined;
}

const toIndicator = (r: IndicatorRow): Indicator => ({ id: r.id, label: r.label, showInDossier: r.show_in_dossier === true });

export async function listIndicators(em: EntityManager, officeId: string): Promise<Indicator[]> {
  const found = await rows<IndicatorRow>(em, 'select id, label, show_in_dossier from crm_indicators where office_id = ? order by lower(label), id', [officeId]);
  return found.map(toIndicator);
}

export async function personIndicators(em: EntityManager, personId: string, onlyInDossier = false): Promise<Indicator[]> {
  const found = await rows<IndicatorRow>(
    em,
    `select i.id, i.label, i.show_in_dossier from crm_person_indicators pi join crm_indicators i on i.id = pi.indicator_id
      where pi.person_id = ? ${onlyInDossier ? 'and i.show_in_dossier' : ''} order by lower(i.label), i.id`,
    [personId],
  );
  return found.map(toIndicator);
}

// ---- relations ------------------------------------------------------------------------------

export async function listRelations(em: EntityManager, personId: string): Promise<Relation[]> {
  const found = await rows<NameColumns & { id: string; type: RelationType; created_at: unknown; other_id: string }>(
    em,
    `select r.id, r.type, r.created_at, p.id as other_id, p.first_name, p.infix, p.last_name
       from crm_relations r join persons p on p.id = r.related_person_id
      where r.person_id = ? order by r.type, p.last_name, p.first_name, r.id`,
    [personId],
  );
  return found.map((r) => ({ id: r.id, type: r.type, person: { id: r.other_id, name: nameOf(r) }, createdAt: isoInstant(r.created_at) ?? '' }));
}

// ---- notes ----------------------------------------------------------------------------------

export function toNote(r: NoteRow): Note {
  return {
    id: r.id,
    title: r.title,
    text: r.text,
    priority: r.priority,
    showInDossier: r.show_in_dossier === true,
    alwaysFirst: r.always_first === true,
    createdBy: r.created_by,
    ...(r.created_by_name ? { createdByName: r.created_by_name } : {}),
    createdAt: isoInstant(r.created_at) ?? '',
    updatedAt: isoInstant(r.updated_at) ?? '',
  };
}

/** "Always first" notes lead; then the newest first (as the seed says), the highest priority first, or by author (seed 002). */
const noteOrder: Record<NoteSort, string> = {
  date: 'always_first desc, created_at desc, id desc',
  priority: "always_first desc, case priority when 'high' then 0 when 'normal' then 1 else 2 end, created_at desc, id desc",
  author: 'always_first desc, lower(coalesce(created_by_name, created_by)), created_at desc, id desc',
};

export async function listNotes(em: EntityManager, personId: string, sort: NoteSort = 'date', onlyInDossier = false): Promise<Note[]> {
  const found = await rows<NoteRow>(
    em,
    `select * from (
       select ${noteColumns}, (select c.name from api_credentials c where c.id::text = crm_notes.created_by) as created_by_name
         from crm_notes where person_id = ? ${onlyInDossier ? 'and show_in_dossier' : ''}
     ) n order by ${noteOrder[sort]}`,
    [personId],
  );
  return found.map(toNote);
}

export async function notesOfPerson(em: EntityManager, officeId: string, personId: string, sort: NoteSort = 'date'): Promise<Note[]> {
  await requirePersonRow(em, officeId, personId);
  return listNotes(em, personId, sort);
}

// ---- signals --------------------------------------------------------------------------------

export const hhmm = (t: string | null): string | null => (t === null ? null : t.slice(0, 5));

export function toSignal(r: SignalRow): Signal {
  return {
    id: r.id,
    title: r.title,
    date: isoDate(r.due_date) ?? '',
    time: hhmm(r.due_time),
    done: r.done === true,
    due: r.due === true,
    createdAt: isoInstant(r.created_at) ?? '',
  };
}

export async function listSignals(em: EntityManager, personId: string): Promise<Signal[]> {
  const found = await rows<SignalRow>(
    em,
    `select ${signalColumns} from crm_signals where person_id = ? order by done, due_date, due_time nulls first, created_at, id`,
    [personId],
  );
  return found.map(toSignal);
}

// ---- identification -------------------------------------------------------------------------

/** All but the last 4 characters masked: enough to compare with the document on the table. */
export function maskDocumentNumber(n: string | null): string | null {
  if (n === null || n === '') return null;
  const visible = n.slice(-4);
  return `${'•'.repeat(Math.max(n.length - 4, 0))}${visible}`;
}

export async function getIdentification(em: EntityManager, personId: string): Promise<Identification | null> {
  const r = await one<{
    method: IdentificationMethod;
    document_type: IdentificationDocumentType;
    document_number: string | null;
    valid_until: unknown;
    expired: boolean;
    checked_by: string;
    checker: string | null;
    checked_at: unknown;
    updated_at: unknown;
  }>(
    em,
    `select i.method, i.document_type, i.document_number, i.valid_until,
            coalesce(i.valid_until < (now() at time zone 'Europe/Amsterdam')::date, false) as expired,
            i.checked_by, c.name as checker, i.checked_at, i.updated_at
       from crm_identifications i left join api_credentials c on c.id = i.checked_by
      where i.person_id = ?`,
    [personId],
  );
  if (!r) return null;
  return {
    method: r.method,
    documentType: r.document_type,
    documentNumberMasked: maskDocumentNumber(r.document_number),
    validUntil: isoDate(r.valid_until),
    expired: r.expired === true,
    checkedBy: { credentialId: r.checked_by, name: r.checker ?? '' },
    checkedAt: isoInstant(r.checked_at) ?? '',
    updatedAt: isoInstant(r.updated_at) ?? '',
  };
}

// ---- the whole card ---------------------------------------------------------------------------

export async function getCard(em: EntityManager, officeId: string, personId: string): Promise<CrmCard> {
  const p = await requirePersonRow(em, officeId, personId);
  const person = toPerson(p);

  const definitions = await listPropertyDefinitions(em, officeId);
  const values = await rows<{ property_id: string; value: PropertyValue }>(
    em,
    'select property_id, value from crm_property_values where person_id = ?',
    [personId],
  );
  const valueOf = new Map(values.map((v) => [v.property_id, v.value]));

  const signals = await listSignals(em, personId);
  const risk = await one<{ to_class: string; created_at: unknown }>(
    em,
    'select to_class, created_at from risk_class_history where person_id = ? order by created_at desc, id desc limit 1',
    [personId],
  );

  const files = await rows<{ id: string; dossier_id: string; number: string; document_type: string; filename: string; size_bytes: number; created_at: unknown }>(
    em,
    `select doc.id, doc.dossier_id, d.number, doc.document_type, doc.filename, doc.size_bytes, doc.created_at
       from documents doc join dossiers d on d.id = doc.dossier_id
      where doc.office_id = ? and doc.dossier_id in (select dossier_id from dossier_applicants where person_id = ?)
      order by doc.created_at desc, doc.id`,
    [officeId, personId],
  );

  // Mails carry no office id: scoped through their dossier. Only outbound mail is stored today.
  const mails = p.email
    ? await rows<{ id: string; dossier_id: string; to_address: string; subject: string; status: string; created_at: unknown; sent_at: unknown }>(
        em,
        `select m.id, m.dossier_id, m.to_address, m.subject, m.status, m.created_at, m.sent_at
           from mails m join dossiers d on d.id = m.dossier_id
          where d.office_id = ? and lower(m.to_address) = lower(?) order by m.created_at desc, m.id limit 200`,
        [officeId, p.email],
      )
    : [];

  const sameAddress =
    p.postcode !== null && p.house_number !== null
      ? await rows<Pick<PersonRow, 'id' | 'first_name' | 'infix' | 'last_name' | 'house_number_suffix'>>(
          em,
          `select id, first_name, infix, last_name, house_number_suffix from persons
            where office_id = ? and postcode = ? and house_number = ? and id <> ? and anonymised_at is null
            order by last_name, first_name, id limit 50`,
          [officeId, p.postcode, p.house_number, personId],
        )
      : [];

  const dossierRows = await rows<{ id: string; number: string; status: 'prospect' | 'client'; created_at: unknown }>(
    em,
    `select d.id, d.number, d.status, d.created_at from dossiers d join dossier_applicants a on a.dossier_id = d.id
      where d.office_id = ? and a.person_id = ? order by d.created_at desc, d.id`,
    [officeId, personId],
  );
  const dossierIds = dossierRows.map((d) => d.id);
  const inIds = dossierIds.length ? dossierIds.map(() => '?').join(', ') : 'null';
  const applicants = dossierIds.length
    ? await rows<NameColumns & { dossier_id: string; position: number; person_id: string }>(
        em,
        `select a.dossier_id, a.position, a.person_id, p.first_name, p.infix, p.last_name
           from dossier_applicants a join persons p on p.id = a.person_id where a.dossier_id in (${inIds}) order by a.position`,
        dossierIds,
      )
    : [];
  const products = dossierIds.length
    ? await rows<{ id: string; dossier_id: string; type: string; company: string | null; status: string; category: string }>(
        em,
        `select id, dossier_id, type, company, status, category from products where dossier_id in (${inIds}) order by created_at, id`,
        dossierIds,
      )
    : [];

  return {
    basic: {
      id: person.id,
      firstName: person.firstName,
      infix: person.infix,
      lastName: person.lastName,
      name: person.name,
      anonymised: isAnonymised(p),
      createdAt: person.createdAt,
    },
    personal: { birthDate: person.birthDate },
    contact: { email: person.email, phone: person.phone, address: person.address, mailOptOut: p.mail_opt_out === true },
    properties: definitions.map((d) => ({ key: d.key, label: d.label, type: d.type, choices: d.choices, value: valueOf.get(d.id) ?? null })),
    indicators: await personIndicators(em, personId),
    relations: await listRelations(em, personId),
    notes: await listNotes(em, personId),
    signals: { open: signals.filter((s) => !s.done).length, items: signals },
    identification: await getIdentification(em, personId),
    riskClass: risk ? { class: risk.to_class, since: isoInstant(risk.created_at) ?? '' } : null,
    files: files.map((f) => ({
      id: f.id,
      dossierId: f.dossier_id,
      dossierNumber: f.number,
      documentType: f.document_type,
      filename: f.filename,
      sizeBytes: Number(f.size_bytes),
      createdAt: isoInstant(f.created_at) ?? '',
      href: `/documents/${f.id}`,
    })),
    mails: mails.map((m) => ({
      id: m.id,
      direction: 'out' as const,
      dossierId: m.dossier_id,
      toAddress: m.to_address,
      subject: m.subject,
      status: m.status,
      createdAt: isoInstant(m.created_at) ?? '',
      sentAt: isoInstant(m.sent_at),
    })),
    sameAddress: sameAddress.map((r) => ({ id: r.id, name: nameOf(r), houseNumberSuffix: r.house_number_suffix })),
    dossiers: dossierRows.map((d) => ({
      id: d.id,
      number: d.number,
      status: d.status,
      createdAt: isoInstant(d.created_at) ?? '',
      applicants: applicants
        .filter((a) => a.dossier_id === d.id)
        .map((a) => ({ position: Number(a.position), personId: a.person_id, name: nameOf(a) })),
      products: products
        .filter((x) => x.dossier_id === d.id)
        .map((x) => ({ id: x.id, type: x.type, company: x.company, status: x.status, category: x.category })),
      href: `/dossiers/${d.id}`,
    })),
    newDossier: {
      method: 'POST',
      href: `/persons/${personId}/dossiers`,
      description: 'new dossier with this person as applicant 1 (their known data is taken over)',
    },
  };
}

/** What the dossier view shows of its applicants' cards: indicators and notes flagged "show in dossier". */
export async function dossierHighlights(
  em: EntityManager,
  officeId: string,
  dossierId: string,
): Promise<{ personId: string; indicators: Indicator[]; notes: Note[] }[]> {
  const applicants = looksLikeUuid(dossierId)
    ? await rows<{ person_id: string }>(
        em,
        `select a.person_id from dossier_applicants a join dossiers d on d.id = a.dossier_id
          where d.office_id = ? and d.id = ? order by a.position`,
        [officeId, dossierId],
      )
    : [];
  if (applicants.length === 0) {
    const exists = looksLikeUuid(dossierId) ? await one(em, 'select id from dossiers where office_id = ? and id = ?', [officeId, dossierId]) : undefined;
    if (!exists) throw refuse.notFound('Dossier', dossierId);
  }
  const out = [];
  for (const a of applicants) {
    out.push({ personId: a.person_id, indicators: await personIndicators(em, a.person_id, true), notes: await listNotes(em, a.person_id, 'date', true) });
  }
  return out;
}
