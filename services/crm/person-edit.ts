/**
 * Editing a person (*relatie*) with field-level history (issue 18). There is one person record:
 * the CRM card, the dossier's applicants, mails and documents all read it, so an edit on the
 * card or in a dossier shows everywhere. Each changed field leaves a history line (old → new,
 * who, when, in which dossier); an edit that changes nothing leaves none and keeps the version.
 *
 * Two advisers editing at once: every edit names the version it started from and is refused
 * (409 `edited-meanwhile`) when the person changed since, so nobody overwrites another's change
 * unseen. The duplicate check of the create path runs on the criteria the edit touches.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { personFullName } from '../../db/entities/index.js';
import { isoInstant, looksLikeUuid, one, rows, type Row } from '../../db/sql.js';
import { personEditFields, personFieldChanges, type PersonFieldChange, type PersonFieldPatch, type PersonFieldValues } from '../../domain/crm/person-changes.js';
import { DomainError, refuse } from '../../domain/errors.js';
import type { Principal } from '../../domain/roles.js';
import { familyRefusal, familyViolationsOfEdit } from './family.js';
import { findDuplicates, getPerson, type DuplicateCriteria } from './persons.js';
import type { DuplicateSuggestion, Person, PersonFieldHistoryLine, PersonPatch } from './persons.schemas.js';
import { applyPersonEdit, isAnonymised, personFieldValuesOf, personOfOffice } from './store.js';

/**
 * The version an edit started from: the `If-Match` header (`"3"`, `W/"3"` or `3`) or the body's
 * `version`. Required (an edit without it could overwrite a change unseen); both given must agree.
 */
export function expectedVersionOf(ifMatch: string | undefined, bodyVersion: number | undefined): number {
  let fromHeader: number | undefined;
  if (ifMatch !== undefined) {
    const m = /^\s*(?:W\/)?"?(\d{1,10})"?\s*$/.exec(ifMatch);
    if (!m) throw refuse.invalidField('/headers/if-match', 'must be the ETag of the person, e.g. "3"');
    fromHeader = Number(m[1]);
  }
  if (fromHeader !== undefined && bodyVersion !== undefined && fromHeader !== bodyVersion) {
    throw refuse.invalidField('/body/version', `differs from If-Match (${fromHeader})`);
  }
  const version = fromHeader ?? bodyVersion;
  if (version === undefined) {
    throw refuse.invalidField('/body/version', 'is required (or send If-Match): the version of the person the edit started from');
  }
  return version;
}

/** The ETag of a person: their version, as `If-Match` takes it back. */
export const personETag = (person: Pick<Person, 'version'>): string => `"${person.version}"`;

/** The body's fields as the field patch of the domain rule (an address goes as a whole). */
export function fieldPatchOf(patch: PersonPatch): PersonFieldPatch {
  const out: PersonFieldPatch = {};
  for (const f of ['firstName', 'infix', 'lastName', 'birthDate', 'email', 'phone', 'gender', 'maritalStatus', 'dateOfDeath'] as const) {
    const v = patch[f];
    if (v !== undefined) out[f] = v;
  }
  if (patch.address === null) {
    Object.assign(out, { street: null, houseNumber: null, houseNumberSuffix: null, postcode: null, city: null });
  } else if (patch.address !== undefined) {
    const a = patch.address;
    Object.assign(out, { street: a.street, houseNumber: a.houseNumber, houseNumberSuffix: a.houseNumberSuffix ?? null, postcode: a.postcode, city: a.city });
  }
  return out;
}

/**
 * The create path's duplicate criteria (services/crm/persons.ts findDuplicates) that this edit
 * touches, with the values after the edit: a person whose phone changes is not suddenly
 * reported for sharing an address with their partner, but one moving to another person's
 * address, e-mail or name and birth date is.
 */
function touchedCriteria(after: PersonFieldValues, changes: readonly PersonFieldChange[]): DuplicateCriteria {
  const changed = new Set(changes.map((c) => c.field));
  const c: DuplicateCriteria = {};
  if ((changed.has('lastName') || changed.has('birthDate')) && after.lastName && after.birthDate) {
    c.lastName = after.lastName;
    c.birthDate = after.birthDate;
  }
  if (changed.has('email') && after.email) c.email = after.email;
  if ((changed.has('postcode') || changed.has('houseNumber')) && after.postcode && after.houseNumber) {
    c.postcode = after.postcode;
    c.houseNumber = Number(after.houseNumber);
  }
  return c;
}

export function duplicateOnEditProblem(duplicates: DuplicateSuggestion[], extra: Record<string, unknown> = {}): DomainError {
  const n = duplicates.length;
  return new DomainError('conflict', 'possible-duplicate',
    `After this change the person looks like ${n} other person${n === 1 ? '' : 's'} in this office; ` +
      'edit that person instead, or send allowDuplicate: true to save anyway. Nothing was changed.',
    { possibleDuplicates: duplicates, ...extra },
  );
}

/**
 * The edit inside the caller's transaction: lock, version check, changes, duplicate check,
 * write with history. Returns the changes made (none: nothing written).
 */
export async function editPersonIn(
  tem: EntityManager,
  principal: Principal,
  input: { personId: string; patch: PersonPatch; expectedVersion: number; dossierId: string | null; problemExtra?: Record<string, unknown> },
): Promise<PersonFieldChange[]> {
  const { officeId } = principal;
  const row = looksLikeUuid(input.personId) ? await personOfOffice(tem, officeId, input.personId, { forUpdate: true }) : undefined;
  if (!row) throw refuse.notFound('Person', input.personId);
  if (isAnonymised(row)) throw refuse.conflict('anonymised', `Person ${input.personId} is anonymised and cannot be edited`, input.problemExtra);
  if (Number(row.version) !== input.expectedVersion) {
    throw refuse.conflict(
      'edited-meanwhile',
      `Person ${input.personId} was changed by someone else since version ${input.expectedVersion} (now ${row.version}); reload and edit again. Nothing was changed.`,
      { currentVersion: Number(row.version), ...input.problemExtra },
    );
  }
  const before = personFieldValuesOf(row);
  const changes = personFieldChanges(before, fieldPatchOf(input.patch));
  if (changes.length === 0) return changes;
  const after: PersonFieldValues = { ...before };
  for (const c of changes) after[c.field] = c.newValue;
  if (changes.some((c) => c.field === 'dateOfDeath' || c.field === 'birthDate')) {
    const violations = await familyViolationsOfEdit(tem, officeId, input.personId, after);
    if (violations.length > 0) throw familyRefusal(violations);
  }
  if (input.patch.allowDuplicate !== true) {
    const duplicates = (await findDuplicates(tem, officeId, touchedCriteria(after, changes))).filter((d) => d.id !== input.personId);
    if (duplicates.length > 0) throw duplicateOnEditProblem(duplicates, input.problemExtra);
  }
  await applyPersonEdit(tem, { officeId, personId: input.personId, changes, actor: principal.credentialId, dossierId: input.dossierId });
  return changes;
}

/** PATCH /persons/:id: the person as stored after the edit. */
export async function editPerson(em: EntityManager, principal: Principal, personId: string, patch: PersonPatch, ifMatch: string | undefined): Promise<Person> {
  const expectedVersion = expectedVersionOf(ifMatch, patch.version);
  await em.transactional((tem) => editPersonIn(tem, principal, { personId, patch, expectedVersion, dossierId: null }));
  const person = await getPerson(em.fork(), principal.officeId, personId);
  if (!person) throw refuse.notFound('Person', personId);
  return person;
}

interface HistoryRow extends Row {
  id: string;
  person_id: string;
  first_name: string;
  infix: string | null;
  last_name: string;
  field: PersonFieldHistoryLine['field'];
  old_value: string | null;
  new_value: string | null;
  actor: string;
  actor_name: string | null;
  dossier_id: string | null;
  at: unknown;
  total: string | number;
}

/** The field history of these persons of the office, newest first (one edit's lines in the card's order), paged. */
export async function fieldHistoryOf(
  em: EntityManager,
  officeId: string,
  personIds: readonly string[],
  page: { limit: number; offset: number },
): Promise<{ items: PersonFieldHistoryLine[]; total: number }> {
  if (personIds.length === 0) return { items: [], total: 0 };
  const found = await rows<HistoryRow>(
    em,
    `select h.id, h.person_id, p.first_name, p.infix, p.last_name, h.field, h.old_value, h.new_value, h.actor, c.name as actor_name,
            h.dossier_id, h.at, count(*) over () as total
       from person_field_history h
       join persons p on p.id = h.person_id
       left join api_credentials c on c.id::text = h.actor and c.office_id = h.office_id
      where h.office_id = ? and h.person_id in (${personIds.map(() => '?').join(', ')})
      order by h.at desc, array_position(array[?]::text[], h.field), h.id
      limit ? offset ?`,
    [officeId, ...personIds, [...personEditFields], page.limit, page.offset],
  );
  const total =
    found[0] !== undefined
      ? Number(found[0].total)
      : Number(
          (await one<{ n: string }>(em, `select count(*) as n from person_field_history where office_id = ? and person_id in (${personIds.map(() => '?').join(', ')})`, [officeId, ...personIds]))?.n ?? 0,
        );
  return {
    total,
    items: found.map((h) => ({
      id: h.id,
      personId: h.person_id,
      personName: personFullName({ firstName: h.first_name, infix: h.infix, lastName: h.last_name }),
      field: h.field,
      oldValue: h.old_value,
      newValue: h.new_value,
      actor: h.actor,
      actorName: h.actor_name,
      dossierId: h.dossier_id,
      at: isoInstant(h.at) ?? '',
    })),
  };
}
