/**
 * Changing the CRM card: admin definitions (properties, indicators) and the parts of a person's
 * card. Every write checks that the person (and whatever it points at) belongs to the caller's
 * office first, so an id of another office answers 404 like an unknown one.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { newId } from '../../db/ids.js';
import { inverseRelation } from '../../domain/crm/card.js';
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
import { DATE_MAX, DATE_MIN, isDateInRange } from '../../domain/dates.js';
import { textProblem } from '../../domain/text.js';
import { looksLikeUuid, one, rows } from '../../db/sql.js';
import { findPropertyDefinition, getIdentification, listRelations, personIndicators, requirePersonRow, toDefinition, toNote, toSignal, whilePersonExists } from './card.js';
import {
  deleteNoteRow,
  deleteRelationPair,
  deleteSignalRow,
  insertIndicator,
  insertNote,
  insertPropertyDefinition,
  insertRelationPair,
  insertSignal,
  isAnonymised,
  replacePersonIndicators,
  setPropertyValueRow,
  updateNoteRow,
  updateSignalRow,
  upsertIdentification,
  type NoteFields,
} from './store.js';

export { inverseRelation };

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
    const r = await insertPropertyDefinition(em, officeId, {
      key: input.key,
      label: input.label.trim(),
      type: input.type,
      choices: input.choices ? input.choices.map((c) => c.trim()) : null,
    });
    return toDefinition(r);
  } catch (err) {
    if (isUniqueViolation(err)) throw refuse.conflict('property-exists', `A property with key "${input.key}" already exists in this office`);
    throw err;
  }
}

export async function createIndicator(em: EntityManager, officeId: string, input: IndicatorInput): Promise<Indicator> {
  const id = newId();
  try {
    await insertIndicator(em, officeId, { id, label: input.label.trim(), showInDossier: input.showInDossier === true });
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
    case 'text': {
      if (typeof value !== 'string') throw wrong('must be a string (property type text)');
      const problem = textProblem(value, 'line');
      if (problem) throw wrong(problem);
      break;
    }
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw wrong('must be a number (property type number)');
      break;
    case 'boolean':
      if (typeof value !== 'boolean') throw wrong('must be true or false (property type boolean)');
      break;
    case 'date': {
      if (!isDateInRange(value)) throw wrong(`must be a calendar date YYYY-MM-DD from ${DATE_MIN} to ${DATE_MAX} (property type date)`);
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
  await whilePersonExists(personId, () => setPropertyValueRow(em, personId, def.id, value, principal.credentialId));
  return { key, value };
}

// ---- indicators -----------------------------------------------------------------------------

/** Replaces the person's active indicators by exactly this set (one transaction); answers the set now active. */
export async function setPersonIndicators(em: EntityManager, officeId: string, personId: string, indicatorIds: string[]): Promise<Indicator[]> {
  await whilePersonExists(personId, () => em.transactional(async (tem) => {
    await requirePersonRow(tem, officeId, personId);
    const valid = indicatorIds.filter(looksLikeUuid);
    const known = valid.length
      ? await rows<{ id: string }>(tem, `select id from crm_indicators where office_id = ? and id in (${valid.map(() => '?').join(', ')})`, [officeId, ...valid])
      : [];
    const unknown = indicatorIds.filter((id) => !known.some((k) => k.id === id));
    if (unknown.length > 0) {
      throw new DomainError('unprocessable', 'unknown-indicator', `Unknown indicator(s) in this office: ${unknown.join(', ')}. Nothing was changed.`, { unknown });
    }
    await replacePersonIndicators(tem, personId, indicatorIds);
  }));
  return personIndicators(em, personId);
}

// ---- relations ------------------------------------------------------------------------------

export async function addRelation(
  em: EntityManager,
  principal: Principal,
  personId: string,
  otherId: string,
  type: RelationType,
): Promise<Relation> {
  const { officeId } = principal;
  return whilePersonExists(personId, () => em.transactional(async (tem) => {
    await requirePersonRow(tem, officeId, personId);
    if (otherId === personId) throw new DomainError('unprocessable', 'relation-to-self', 'A person cannot be related to themselves');
    const other = looksLikeUuid(otherId) ? await one(tem, 'select id from persons where office_id = ? and id = ?', [officeId, otherId]) : undefined;
    if (!other) throw new DomainError('unprocessable', 'unknown-person', `personId: person ${otherId} not found in this office`);
    const exists = await one(tem, 'select id from crm_relations where person_id = ? and related_person_id = ? and type = ?', [personId, otherId, type]);
    if (exists) throw refuse.conflict('relation-exists', `This relation (${type}) already exists`);
    // The other side may already have been recorded by hand: the store keeps it, links nothing twice.
    const id = await insertRelationPair(tem, { officeId, personId, otherId, type, inverse: inverseRelation[type], actor: principal.credentialId });
    const created = (await listRelations(tem, personId)).find((r) => r.id === id);
    if (!created) throw new Error(`relation ${id} vanished right after it was created`);
    return created;
  }));
}

/** Removes the relation and its mirrored row on the other card. */
export async function deleteRelation(em: EntityManager, officeId: string, personId: string, relationId: string): Promise<void> {
  await requirePersonRow(em, officeId, personId);
  const r = looksLikeUuid(relationId)
    ? await one<{ pair_id: string }>(em, 'select pair_id from crm_relations where office_id = ? and person_id = ? and id = ?', [officeId, personId, relationId])
    : undefined;
  if (!r) throw refuse.notFound('Relation', relationId);
  await deleteRelationPair(em, r.pair_id);
}

// ---- notes ----------------------------------------------------------------------------------

/** A note's fields as stored: left-out optional fields take their defaults. */
function noteFields(input: NoteInput): NoteFields {
  return {
    title: input.title.trim(),
    text: input.text ?? '',
    priority: input.priority ?? 'normal',
    showInDossier: input.showInDossier === true,
    alwaysFirst: input.alwaysFirst === true,
  };
}

export async function createNote(em: EntityManager, principal: Principal, personId: string, input: NoteInput): Promise<Note> {
  await requirePersonRow(em, principal.officeId, personId);
  return toNote(await whilePersonExists(personId, () => insertNote(em, { ...noteFields(input), officeId: principal.officeId, personId, actor: principal.credentialId })));
}

/** PUT replaces the note's fields (left-out optional fields take their defaults, as on create). */
export async function updateNote(em: EntityManager, officeId: string, personId: string, noteId: string, input: NoteInput): Promise<Note> {
  await requirePersonRow(em, officeId, personId);
  const r = looksLikeUuid(noteId) ? await updateNoteRow(em, officeId, personId, noteId, noteFields(input)) : undefined;
  if (!r) throw refuse.notFound('Note', noteId);
  return toNote(r);
}

export async function deleteNote(em: EntityManager, officeId: string, personId: string, noteId: string): Promise<void> {
  await requirePersonRow(em, officeId, personId);
  const deleted = looksLikeUuid(noteId) && (await deleteNoteRow(em, officeId, personId, noteId));
  if (!deleted) throw refuse.notFound('Note', noteId);
}

// ---- signals --------------------------------------------------------------------------------

export async function createSignal(em: EntityManager, principal: Principal, personId: string, input: SignalInput): Promise<Signal> {
  await requirePersonRow(em, principal.officeId, personId);
  const r = await whilePersonExists(personId, () => insertSignal(em, {
    officeId: principal.officeId,
    personId,
    title: input.title.trim(),
    date: input.date,
    time: input.time ?? null,
    actor: principal.credentialId,
  }));
  return toSignal(r);
}

export async function updateSignal(em: EntityManager, officeId: string, personId: string, signalId: string, patch: SignalPatch): Promise<Signal> {
  await requirePersonRow(em, officeId, personId);
  const r = looksLikeUuid(signalId)
    ? await updateSignalRow(em, officeId, personId, signalId, { ...patch, ...(patch.title !== undefined ? { title: patch.title.trim() } : {}) })
    : undefined;
  if (!r) throw refuse.notFound('Signal', signalId);
  return toSignal(r);
}

export async function deleteSignal(em: EntityManager, officeId: string, personId: string, signalId: string): Promise<void> {
  await requirePersonRow(em, officeId, personId);
  const deleted = looksLikeUuid(signalId) && (await deleteSignalRow(em, officeId, personId, signalId));
  if (!deleted) throw refuse.notFound('Signal', signalId);
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
  if (isAnonymised(p)) {
    throw new DomainError('conflict', 'person-anonymised', `Person ${personId} is anonymised; no new identification can be recorded`);
  }
  const checkedAt = input.checkedAt ?? new Date().toISOString();
  if (new Date(checkedAt).getTime() > Date.now() + 5 * 60_000) throw invalid('/body/checkedAt', 'must not be in the future');
  await whilePersonExists(personId, () => upsertIdentification(em, {
    personId,
    officeId: principal.officeId,
    method: input.method,
    documentType: input.documentType,
    documentNumber: input.documentNumber ? input.documentNumber.toUpperCase() : null,
    validUntil: input.validUntil ?? null,
    checkedBy: principal.credentialId,
    checkedAt,
  }));
  const saved = await getIdentification(em, personId);
  if (!saved) throw new Error(`identification of ${personId} vanished right after it was saved`);
  return saved;
}
