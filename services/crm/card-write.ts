/**
 * Changing the CRM card: admin definitions (properties, indicators) and the parts of a person's
 * card. Every write checks that the person (and whatever it points at) belongs to the caller's
 * office first, so an id of another office answers 404 like an unknown one.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { newId } from '../../db/ids.js';
import type {
  Identification,
  IdentificationInput,
  Indicator,
  IndicatorInput,
  Note,
  NoteInput,
  PropertyDefinition,
  PropertyDefinitionInput,
  PropertyValue,
  Relation,
  RelationType,
  Signal,
  SignalInput,
  SignalPatch,
} from './card.schemas.js';
import type { Principal } from '../../domain/roles.js';
import { DomainError, refuse } from '../../domain/errors.js';
import { looksLikeUuid, one, rows } from '../../db/sql.js';
import {
  findPropertyDefinition,
  getIdentification,
  listRelations,
  noteColumns,
  requirePersonRow,
  signalColumns,
  toDefinition,
  toNote,
  toSignal,
} from './card.js';

/** Postgres unique_violation: a second definition with the same key / label. */
function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}

function invalid(path: string, message: string): DomainError {
  return new DomainError('invalid', 'validation', `Request validation failed: ${path} ${message}`, { errors: [{ path, message }] });
}

// ---- admin definitions ----------------------------------------------------------------------

export async function createPropertyDefinition(em: EntityManager, officeId: string, input: PropertyDefinitionInput): Promise<PropertyDefinition> {
  // The database checks it too; answered here with the field path instead of a 500.
  if (input.type === 'choice' && !input.choices) throw invalid('/body/choices', 'is required for type choice');
  if (input.type !== 'choice' && input.choices) throw invalid('/body/choices', 'is only allowed for type choice');
  try {
    const [r] = await rows<Parameters<typeof toDefinition>[0]>(
      em,
      `insert into crm_property_definitions (id, office_id, key, label, type, choices) values (?, ?, ?, ?, ?, ?::jsonb)
       returning id, key, label, type, choices, created_at`,
      [newId(), officeId, input.key, input.label.trim(), input.type, input.choices ? JSON.stringify(input.choices.map((c) => c.trim())) : null],
    );
    if (!r) throw new Error('insert returned no row');
    return toDefinition(r);
  } catch (err) {
    if (isUniqueViolation(err)) throw refuse.conflict('property-exists', `A property with key "${input.key}" already exists in this office`);
    throw err;
  }
}

export async function createIndicator(em: EntityManager, officeId: string, input: IndicatorInput): Promise<Indicator> {
  const id = newId();
  try {
    await em.execute('insert into crm_indicators (id, office_id, label, show_in_dossier) values (?, ?, ?, ?)', [
      id,
      officeId,
      input.label.trim(),
      input.showInDossier === true,
    ]);
  } catch (err) {
    if (isUniqueViolation(err)) throw refuse.conflict('indicator-exists', `An indicator "${input.label.trim()}" already exists in this office`);
    throw err;
  }
  return { id, label: input.label.trim(), showInDossier: input.showInDossier === true };
}

// ---- properties -----------------------------------------------------------------------------

/** Checks a value against its definition; answers the field path of what is wrong. */
export function checkPropertyValue(def: PropertyDefinition, value: unknown): asserts value is PropertyValue {
  if (value === null) return;
  const wrong = (message: string) => invalid('/body/value', message);
  if (value === undefined) throw invalid('/body', "must have required property 'value'");
  if (typeof value === 'string' && value.length > 2000) throw wrong('must not be longer than 2000 characters');
  switch (def.type) {
    case 'text':
      if (typeof value !== 'string') throw wrong('must be a string (property type text)');
      break;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw wrong('must be a number (property type number)');
      break;
    case 'boolean':
      if (typeof value !== 'boolean') throw wrong('must be true or false (property type boolean)');
      break;
    case 'date': {
      const ok = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;
      if (!ok) throw wrong('must be a calendar date YYYY-MM-DD (property type date)');
      break;
    }
    case 'choice':
      if (typeof value !== 'string' || !(def.choices ?? []).includes(value)) throw wrong(`must be one of ${(def.choices ?? []).join(', ')}`);
      break;
  }
}

export async function setPropertyValue(
  em: EntityManager,
  principal: Principal,
  personId: string,
  key: string,
  value: unknown,
): Promise<{ key: string; value: PropertyValue }> {
  await requirePersonRow(em, principal.officeId, personId);
  const def = await findPropertyDefinition(em, principal.officeId, key);
  if (!def) throw refuse.notFound('Property', key);
  checkPropertyValue(def, value);
  if (value === null) {
    await em.execute('delete from crm_property_values where person_id = ? and property_id = ?', [personId, def.id]);
  } else {
    await em.execute(
      `insert into crm_property_values (person_id, property_id, value, updated_by) values (?, ?, ?::jsonb, ?)
       on conflict (person_id, property_id) do update set value = excluded.value, updated_by = excluded.updated_by, updated_at = now()`,
      [personId, def.id, JSON.stringify(value), principal.credentialId],
    );
  }
  return { key, value };
}

// ---- indicators -----------------------------------------------------------------------------

/** Replaces the person's active indicators by exactly this set (one transaction). */
export async function setPersonIndicators(em: EntityManager, officeId: string, personId: string, indicatorIds: string[]): Promise<void> {
  await em.transactional(async (tem) => {
    await requirePersonRow(tem, officeId, personId);
    const valid = indicatorIds.filter(looksLikeUuid);
    const known = valid.length
      ? await rows<{ id: string }>(tem, `select id from crm_indicators where office_id = ? and id in (${valid.map(() => '?').join(', ')})`, [officeId, ...valid])
      : [];
    const unknown = indicatorIds.filter((id) => !known.some((k) => k.id === id));
    if (unknown.length > 0) {
      throw new DomainError('unprocessable', 'unknown-indicator', `Unknown indicator(s) in this office: ${unknown.join(', ')}. Nothing was changed.`, { unknown });
    }
    await tem.execute('delete from crm_person_indicators where person_id = ?', [personId]);
    for (const id of indicatorIds) {
      await tem.execute('insert into crm_person_indicators (person_id, indicator_id) values (?, ?)', [personId, id]);
    }
  });
}

// ---- relations ------------------------------------------------------------------------------

/**
 * The inverse of "B is A's <type>", stored on B's card as "A is B's <inverse>". `other` has no
 * inverse we can name (a notary of the client is not the client of the notary), so it is one-way.
 */
export const inverseRelation: Record<RelationType, RelationType | null> = {
  partner: 'partner',
  ouder: 'kind',
  kind: 'ouder',
  collega: 'collega',
  other: null,
};

export async function addRelation(
  em: EntityManager,
  principal: Principal,
  personId: string,
  otherId: string,
  type: RelationType,
): Promise<Relation> {
  const { officeId } = principal;
  return em.transactional(async (tem) => {
    await requirePersonRow(tem, officeId, personId);
    if (otherId === personId) throw new DomainError('unprocessable', 'relation-to-self', 'A person cannot be related to themselves');
    const other = looksLikeUuid(otherId) ? await one(tem, 'select id from persons where office_id = ? and id = ?', [officeId, otherId]) : undefined;
    if (!other) throw new DomainError('unprocessable', 'unknown-person', `personId: person ${otherId} not found in this office`);
    const exists = await one(tem, 'select id from crm_relations where person_id = ? and related_person_id = ? and type = ?', [personId, otherId, type]);
    if (exists) throw refuse.conflict('relation-exists', `This relation (${type}) already exists`);
    const id = newId();
    const pairId = newId();
    await tem.execute(
      `insert into crm_relations (id, office_id, person_id, related_person_id, type, pair_id, created_by) values (?, ?, ?, ?, ?, ?, ?)`,
      [id, officeId, personId, otherId, type, pairId, principal.credentialId],
    );
    const inverse = inverseRelation[type];
    if (inverse) {
      // The other side may already have been recorded by hand: keep it, link nothing twice.
      await tem.execute(
        `insert into crm_relations (id, office_id, person_id, related_person_id, type, pair_id, created_by) values (?, ?, ?, ?, ?, ?, ?)
         on conflict (person_id, related_person_id, type) do nothing`,
        [newId(), officeId, otherId, personId, inverse, pairId, principal.credentialId],
      );
    }
    const created = (await listRelations(tem, personId)).find((r) => r.id === id);
    if (!created) throw new Error(`relation ${id} vanished right after it was created`);
    return created;
  });
}

/** Removes the relation and its mirrored row on the other card. */
export async function deleteRelation(em: EntityManager, officeId: string, personId: string, relationId: string): Promise<void> {
  await requirePersonRow(em, officeId, personId);
  const r = looksLikeUuid(relationId)
    ? await one<{ pair_id: string }>(em, 'select pair_id from crm_relations where office_id = ? and person_id = ? and id = ?', [officeId, personId, relationId])
    : undefined;
  if (!r) throw refuse.notFound('Relation', relationId);
  await em.execute('delete from crm_relations where pair_id = ?', [r.pair_id]);
}

// ---- notes ----------------------------------------------------------------------------------

export async function createNote(em: EntityManager, principal: Principal, personId: string, input: NoteInput): Promise<Note> {
  await requirePersonRow(em, principal.officeId, personId);
  const [r] = await rows<Parameters<typeof toNote>[0]>(
    em,
    `insert into crm_notes (id, office_id, person_id, title, text, priority, show_in_dossier, always_first, created_by)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?) returning ${noteColumns}`,
    [
      newId(),
      principal.officeId,
      personId,
      input.title.trim(),
      input.text ?? '',
      input.priority ?? 'normal',
      input.showInDossier === true,
      input.alwaysFirst === true,
      principal.credentialId,
    ],
  );
  if (!r) throw new Error('insert returned no row');
  return toNote(r);
}

/** PUT replaces the note's fields (left-out optional fields take their defaults, as on create). */
export async function updateNote(em: EntityManager, officeId: string, personId: string, noteId: string, input: NoteInput): Promise<Note> {
  await requirePersonRow(em, officeId, personId);
  const [r] = looksLikeUuid(noteId)
    ? await rows<Parameters<typeof toNote>[0]>(
        em,
        `update crm_notes set title = ?, text = ?, priority = ?, show_in_dossier = ?, always_first = ?, updated_at = now()
          where office_id = ? and person_id = ? and id = ? returning ${noteColumns}`,
        [input.title.trim(), input.text ?? '', input.priority ?? 'normal', input.showInDossier === true, input.alwaysFirst === true, officeId, personId, noteId],
      )
    : [];
  if (!r) throw refuse.notFound('Note', noteId);
  return toNote(r);
}

export async function deleteNote(em: EntityManager, officeId: string, personId: string, noteId: string): Promise<void> {
  await requirePersonRow(em, officeId, personId);
  const [r] = looksLikeUuid(noteId)
    ? await rows<{ id: string }>(em, 'delete from crm_notes where office_id = ? and person_id = ? and id = ? returning id', [officeId, personId, noteId])
    : [];
  if (!r) throw refuse.notFound('Note', noteId);
}

// ---- signals --------------------------------------------------------------------------------

export async function createSignal(em: EntityManager, principal: Principal, personId: string, input: SignalInput): Promise<Signal> {
  await requirePersonRow(em, principal.officeId, personId);
  const [r] = await rows<Parameters<typeof toSignal>[0]>(
    em,
    `insert into crm_signals (id, office_id, person_id, title, due_date, due_time, created_by) values (?, ?, ?, ?, ?::date, ?::time, ?)
     returning ${signalColumns}`,
    [newId(), principal.officeId, personId, input.title.trim(), input.date, input.time ?? null, principal.credentialId],
  );
  if (!r) throw new Error('insert returned no row');
  return toSignal(r);
}

export async function updateSignal(em: EntityManager, officeId: string, personId: string, signalId: string, patch: SignalPatch): Promise<Signal> {
  await requirePersonRow(em, officeId, personId);
  const sets: string[] = [];
  const params: unknown[] = [];
  if (patch.title !== undefined) {
    sets.push('title = ?');
    params.push(patch.title.trim());
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
  const [r] = looksLikeUuid(signalId)
    ? await rows<Parameters<typeof toSignal>[0]>(
        em,
        `update crm_signals set ${sets.join(', ')} where office_id = ? and person_id = ? and id = ? returning ${signalColumns}`,
        [...params, officeId, personId, signalId],
      )
    : [];
  if (!r) throw refuse.notFound('Signal', signalId);
  return toSignal(r);
}

export async function deleteSignal(em: EntityManager, officeId: string, personId: string, signalId: string): Promise<void> {
  await requirePersonRow(em, officeId, personId);
  const [r] = looksLikeUuid(signalId)
    ? await rows<{ id: string }>(em, 'delete from crm_signals where office_id = ? and person_id = ? and id = ? returning id', [officeId, personId, signalId])
    : [];
  if (!r) throw refuse.notFound('Signal', signalId);
}

// ---- identification -------------------------------------------------------------------------

/**
 * Records (or replaces) how the identity was checked. "Checked by" is the credential that
 * records it: the API cannot vouch for anyone else having looked at the document.
 */
export async function putIdentification(
  em: EntityManager,
  principal: Principal,
  personId: string,
  input: IdentificationInput,
): Promise<Identification> {
  const p = await requirePersonRow(em, principal.officeId, personId);
  if (p.anonymised_at !== null && p.anonymised_at !== undefined) {
    throw new DomainError('conflict', 'person-anonymised', `Person ${personId} is anonymised; no new identification can be recorded`);
  }
  const checkedAt = input.checkedAt ?? new Date().toISOString();
  if (new Date(checkedAt).getTime() > Date.now() + 5 * 60_000) throw invalid('/body/checkedAt', 'must not be in the future');
  await em.execute(
    `insert into crm_identifications (person_id, office_id, method, document_type, document_number, valid_until, checked_by, checked_at)
     values (?, ?, ?, ?, ?, ?::date, ?, ?::timestamptz)
     on conflict (person_id) do update set method = excluded.method, document_type = excluded.document_type,
       document_number = excluded.document_number, valid_until = excluded.valid_until, checked_by = excluded.checked_by,
       checked_at = excluded.checked_at, updated_at = now()`,
    [
      personId,
      principal.officeId,
      input.method,
      input.documentType,
      input.documentNumber ? input.documentNumber.toUpperCase() : null,
      input.validUntil ?? null,
      principal.credentialId,
      checkedAt,
    ],
  );
  const saved = await getIdentification(em, personId);
  if (!saved) throw new Error(`identification of ${personId} vanished right after it was saved`);
  return saved;
}
