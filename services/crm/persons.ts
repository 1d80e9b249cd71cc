/**
 * Persons (*relaties*) of an office: likely-duplicate suggestions, create, read, search.
 * Every query is scoped to the office of the caller.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { personFullName } from '../../db/entities/index.js';
import { normalisePostcode } from '../shared/schemas.js';
import type { DuplicateReason, DuplicateSuggestion, Person, PersonInput } from './persons.schemas.js';
import { DomainError, refuse } from '../../domain/errors.js';
import { isoDate, isoInstant, likePattern, looksLikeUuid, one, rows } from '../../db/sql.js';
import { insertPerson, personColumns, type PersonRow } from './store.js';
import { lifeDateViolations } from '../../domain/crm/family.js';
import { todayInAmsterdam } from '../../domain/dates.js';

export interface DuplicateCriteria {
  lastName?: string | undefined;
  birthDate?: string | undefined;
  email?: string | undefined;
  postcode?: string | undefined;
  houseNumber?: number | undefined;
}

export { personColumns, type PersonRow } from './store.js';

export function toPerson(r: PersonRow): Person {
  return {
    id: r.id,
    firstName: r.first_name,
    infix: r.infix,
    lastName: r.last_name,
    name: personFullName({ firstName: r.first_name, infix: r.infix, lastName: r.last_name }),
    birthDate: isoDate(r.birth_date),
    email: r.email,
    phone: r.phone,
    address:
      r.street !== null && r.house_number !== null && r.postcode !== null && r.city !== null
        ? {
            street: r.street,
            houseNumber: Number(r.house_number),
            houseNumberSuffix: r.house_number_suffix,
            postcode: r.postcode,
            city: r.city,
          }
        : null,
    gender: r.gender ?? null,
    maritalStatus: r.marital_status ?? null,
    dateOfDeath: isoDate(r.date_of_death),
    createdAt: isoInstant(r.created_at) ?? new Date(0).toISOString(),
    version: Number(r.version),
  };
}

/**
 * Likely duplicates within the office: same birth date and last name (case-insensitive),
 * same e-mail (case-insensitive), or same postcode and house number.
 */
export async function findDuplicates(em: EntityManager, officeId: string, c: DuplicateCriteria): Promise<DuplicateSuggestion[]> {
  const conditions: { reason: DuplicateReason; sql: string; params: unknown[] }[] = [];
  if (c.birthDate && c.lastName) {
    conditions.push({
      reason: 'birthDate+name',
      sql: 'birth_date = ?::date and lower(last_name) = lower(?)',
      params: [c.birthDate, c.lastName.trim()],
    });
  }
  if (c.email) conditions.push({ reason: 'email', sql: 'lower(email) = lower(?)', params: [c.email.trim()] });
  if (c.postcode && c.houseNumber !== undefined) {
    conditions.push({
      reason: 'address',
      sql: 'postcode = ? and house_number = ?',
      params: [normalisePostcode(c.postcode), c.houseNumber],
    });
  }
  if (conditions.length === 0) return [];
  const flags = conditions.map((cond, i) => `coalesce((${cond.sql}), false) as m${i}`).join(', ');
  const where = conditions.map((cond) => `(${cond.sql})`).join(' or ');
  const params = [...conditions.flatMap((x) => x.params), officeId, ...conditions.flatMap((x) => x.params)];
  const found = await rows<PersonRow & Record<string, unknown>>(
    em,
    `select ${personColumns}, ${flags} from persons where office_id = ? and (${where}) order by last_name, first_name, id limit 20`,
    params,
  );
  return found.map((r) => ({
    id: r.id,
    name: personFullName({ firstName: r.first_name, infix: r.infix, lastName: r.last_name }),
    birthDate: isoDate(r.birth_date),
    email: r.email,
    postcode: r.postcode,
    houseNumber: r.house_number === null ? null : Number(r.house_number),
    reasons: conditions.filter((_, i) => r[`m${i}`] === true).map((x) => x.reason),
  }));
}

export function duplicateCriteriaOf(input: PersonInput): DuplicateCriteria {
  return {
    lastName: input.lastName,
    birthDate: input.birthDate,
    email: input.email,
    postcode: input.address?.postcode,
    houseNumber: input.address?.houseNumber,
  };
}

export function duplicateProblem(duplicates: DuplicateSuggestion[], extra: Record<string, unknown> = {}): DomainError {
  const n = duplicates.length;
  return new DomainError('conflict', 'possible-duplicate',
    `${n} existing person${n === 1 ? '' : 's'} in this office look${n === 1 ? 's' : ''} like the same person; ` +
      'use one of them, or send allowDuplicate: true to create a new person anyway. Nothing was created.',
    { possibleDuplicates: duplicates, ...extra },
  );
}

export { insertPerson } from './store.js';

/**
 * Refuses a new person's birth date in the future or giving an age over 130 (the schema allows
 * 1900 to 2200; those are the typos it lets through). `at` is the person's path in the body.
 */
export function refuseImplausibleBirthDate(input: Pick<PersonInput, 'birthDate'>, at: string): void {
  const [problem] = lifeDateViolations({ birthDate: input.birthDate ?? null, dateOfDeath: null }, todayInAmsterdam(new Date()));
  if (!problem) return;
  const path = problem.path.replace(/^\/body/, at);
  throw new DomainError('invalid', 'validation', `Request validation failed: ${path} ${problem.message}`, { errors: [{ path, message: problem.message }] });
}

/**
 * A new person of the office. Likely duplicates are refused (409 `possible-duplicate` with the
 * suggestions) unless the input says `allowDuplicate: true`. Answers the person as stored.
 */
export async function createPerson(em: EntityManager, officeId: string, input: PersonInput): Promise<Person> {
  refuseImplausibleBirthDate(input, '/body');
  if (input.allowDuplicate !== true) {
    const duplicates = await findDuplicates(em, officeId, duplicateCriteriaOf(input));
    if (duplicates.length > 0) throw duplicateProblem(duplicates);
  }
  const id = insertPerson(em, officeId, input);
  await em.flush();
  const person = await getPerson(em, officeId, id);
  if (!person) throw new Error(`person ${id} vanished right after it was created`);
  return person;
}

/** The person of the office, or refused not-found (also for an id that is no UUID). */
export async function requirePerson(em: EntityManager, officeId: string, id: string): Promise<Person> {
  const person = looksLikeUuid(id) ? await getPerson(em, officeId, id) : undefined;
  if (!person) throw refuse.notFound('Person', id);
  return person;
}

export async function getPerson(em: EntityManager, officeId: string, id: string): Promise<Person | undefined> {
  const r = await one<PersonRow>(em, `select ${personColumns} from persons where office_id = ? and id = ?`, [officeId, id]);
  return r ? toPerson(r) : undefined;
}

export async function getPersons(em: EntityManager, officeId: string, ids: string[]): Promise<Map<string, Person>> {
  if (ids.length === 0) return new Map();
  const found = await rows<PersonRow>(
    em,
    `select ${personColumns} from persons where office_id = ? and id in (${ids.map(() => '?').join(', ')})`,
    [officeId, ...ids],
  );
  return new Map(found.map((r) => [r.id, toPerson(r)]));
}

/** Search by name (first, infix, last, or all joined) or e-mail, case-insensitive, paged. */
export async function searchPersons(
  em: EntityManager,
  officeId: string,
  q: string | undefined,
  limit: number,
  offset: number,
): Promise<{ items: Person[]; total: number }> {
  const params: unknown[] = [officeId];
  let where = 'office_id = ?';
  const term = q?.trim();
  if (term) {
    const like = likePattern(term);
    where +=
      " and (concat_ws(' ', first_name, infix, last_name) ilike ? or concat_ws(' ', first_name, last_name) ilike ?" +
      ' or last_name ilike ? or email ilike ?)';
    params.push(like, like, like, like);
  }
  const total = await one<{ n: string | number }>(em, `select count(*) as n from persons where ${where}`, params);
  const found = await rows<PersonRow>(
    em,
    `select ${personColumns} from persons where ${where} order by last_name, first_name, id limit ? offset ?`,
    [...params, limit, offset],
  );
  return { items: found.map(toPerson), total: Number(total?.n ?? 0) };
}
