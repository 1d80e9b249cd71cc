/**
 * The one writer of the CRM tables: `persons` (*relaties*) and the parts of the CRM card
 * (`crm_*`: properties, indicators, relations, notes, signals, identification). Every function
 * runs on the EntityManager it is given, so callers decide the transaction. Office scoping of
 * reads happens in the feature modules; writes here take ids already checked by them.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Person } from '../../db/entities/index.js';
import { newId } from '../../db/ids.js';
import { normalisePostcode } from '../shared/schemas.js';
import type { PersonInput } from './persons.schemas.js';

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
] as const;

export type { Person as PersonRecord };

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

/** Contact data a person lacks, filled in from elsewhere (e.g. an AX); only the given fields change. */
export interface ContactDataFill {
  email?: string;
  phone?: string;
  address?: { street: string; houseNumber: number; houseNumberSuffix: string | null; postcode: string; city: string };
}

export async function fillContactData(em: EntityManager, personId: string, fill: ContactDataFill): Promise<void> {
  const sets: string[] = [];
  const params: unknown[] = [];
  if (fill.email !== undefined) {
    sets.push('email = ?');
    params.push(fill.email);
  }
  if (fill.phone !== undefined) {
    sets.push('phone = ?');
    params.push(fill.phone);
  }
  if (fill.address) {
    sets.push('street = ?', 'house_number = ?', 'house_number_suffix = ?', 'postcode = ?', 'city = ?');
    const a = fill.address;
    params.push(a.street, a.houseNumber, a.houseNumberSuffix, normalisePostcode(a.postcode), a.city);
  }
  if (sets.length === 0) return;
  await em.execute(`update persons set ${sets.join(', ')}, updated_at = now() where id = ?`, [...params, personId]);
}

/** A person's wish not to receive campaign mails. False when the person is not in the office. */
export async function setMailOptOut(em: EntityManager, officeId: string, personId: string, optOut: boolean): Promise<boolean> {
  const result = (await em.execute(`update persons set mail_opt_out = ?, updated_at = now() where id = ? and office_id = ?`, [optOut, personId, officeId], 'run')) as {
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
            mail_opt_out = true, anonymised_at = now(), updated_at = now()
      where id = ?`,
    [redacted, redacted, personId],
  );
}

/** Deletes the person row (rows that cascade with it go too); the caller checked nothing else is linked. */
export async function deletePersonRow(tem: EntityManager, personId: string): Promise<void> {
  await tem.execute('delete from persons where id = ?', [personId]);
}
