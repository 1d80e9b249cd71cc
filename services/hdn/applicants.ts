/**
 * AX applicants to persons of the office, never duplicating one: a person with the same
 * birth date, last name and first name (case-insensitive) is the same person; failing that,
 * one with the same e-mail. A matched person only gains contact data it lacks (e-mail,
 * phone, address where empty); nothing known is overwritten.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { HdnApplicant } from '../../integrations/hdn/types.js';
import type { PersonInput } from '../crm/persons.schemas.js';
import { fillContactData, insertPerson, type ContactDataFill } from '../crm/store.js';
import { one, type Row } from '../../db/sql.js';
import { refuse } from '../../domain/errors.js';
import { DATE_MAX, DATE_MIN, isDateInRange } from '../../domain/dates.js';
import { textProblem } from '../../domain/text.js';

interface MatchRow extends Row {
  id: string;
  email: string | null;
  phone: string | null;
  street: string | null;
  house_number: number | null;
  postcode: string | null;
  city: string | null;
}

const matchColumns = 'id, email, phone, street, house_number, postcode, city';

export interface ApplicantPerson {
  personId: string;
  created: boolean;
}

/** The oldest matching person (stable choice when the office already holds look-alikes). */
async function findMatch(em: EntityManager, officeId: string, a: HdnApplicant): Promise<MatchRow | undefined> {
  const byName = await one<MatchRow>(
    em,
    `select ${matchColumns} from persons
     where office_id = ? and birth_date = ?::date and lower(last_name) = lower(?) and lower(first_name) = lower(?)
     order by created_at, id limit 1 for update`,
    [officeId, a.birthDate, a.lastName.trim(), a.firstName.trim()],
  );
  if (byName || !a.email) return byName;
  return one<MatchRow>(
    em,
    `select ${matchColumns} from persons where office_id = ? and lower(email) = lower(?) order by created_at, id limit 1 for update`,
    [officeId, a.email.trim()],
  );
}

interface Address {
  street: string;
  houseNumber: number;
  houseNumberSuffix?: string;
  postcode: string;
  city: string;
}

/** A complete address or none: a person's address is all-or-nothing in the persons table. */
function addressOf(a: HdnApplicant): Address | undefined {
  if (!a.street || a.houseNumber === undefined || !a.postcode || !a.city) return undefined;
  return {
    street: a.street.trim(),
    houseNumber: a.houseNumber,
    ...(a.houseNumberSuffix ? { houseNumberSuffix: a.houseNumberSuffix.trim() } : {}),
    postcode: a.postcode,
    city: a.city.trim(),
  };
}

async function fillMissing(em: EntityManager, person: MatchRow, a: HdnApplicant): Promise<void> {
  const fill: ContactDataFill = {};
  if (person.email === null && a.email) fill.email = a.email.trim();
  if (person.phone === null && a.phone) fill.phone = a.phone.trim();
  const address = addressOf(a);
  const hasNoAddress = person.street === null && person.house_number === null && person.postcode === null && person.city === null;
  if (hasNoAddress && address) fill.address = { ...address, houseNumberSuffix: address.houseNumberSuffix ?? null };
  await fillContactData(em, person.id, fill);
}

function personInputOf(a: HdnApplicant): PersonInput {
  const address = addressOf(a);
  return {
    firstName: a.firstName,
    ...(a.infix ? { infix: a.infix } : {}),
    lastName: a.lastName,
    birthDate: a.birthDate,
    ...(a.email ? { email: a.email } : {}),
    ...(a.phone ? { phone: a.phone } : {}),
    ...(address ? { address } : {}),
  };
}

/**
 * The input contract of the API for what an AX brings in (domain/text.ts, domain/dates.ts): names
 * and addresses one line without control characters, the birth date within 1900-2200. Refused
 * (422, naming the applicant's field) before any person is matched or made.
 */
function checkApplicants(applicants: HdnApplicant[]): void {
  const errors: { path: string; message: string }[] = [];
  for (const a of applicants) {
    const at = `/applicants/${a.position}`;
    for (const field of ['firstName', 'infix', 'lastName', 'email', 'phone', 'street', 'houseNumberSuffix', 'postcode', 'city'] as const) {
      const value = a[field];
      const problem = typeof value === 'string' ? textProblem(value, 'line') : undefined;
      if (problem) errors.push({ path: `${at}/${field}`, message: problem });
    }
    if (!isDateInRange(a.birthDate)) errors.push({ path: `${at}/birthDate`, message: `must be a calendar date from ${DATE_MIN} to ${DATE_MAX}` });
  }
  if (errors.length) {
    throw refuse.unprocessable('applicant-refused', `The AX's applicants break the input contract: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, { errors });
  }
}

/**
 * Matches or creates the person of each applicant, in applicant order. Runs inside the
 * caller's transaction (matched rows are locked until it ends); new persons are flushed so
 * later SQL in the transaction sees them.
 */
export async function personsOfApplicants(em: EntityManager, officeId: string, applicants: HdnApplicant[]): Promise<ApplicantPerson[]> {
  checkApplicants(applicants);
  const out: ApplicantPerson[] = [];
  for (const a of [...applicants].sort((x, y) => x.position - y.position)) {
    const match = await findMatch(em, officeId, a);
    if (match) {
      await fillMissing(em, match, a);
      out.push({ personId: match.id, created: false });
    } else {
      const personId = insertPerson(em, officeId, personInputOf(a));
      await em.flush();
      out.push({ personId, created: true });
    }
  }
  return out;
}
