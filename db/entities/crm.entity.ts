import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { genders, maritalStatuses } from '../../domain/crm/family.js';

/** A person (*relatie*). Personal data: never leaves PostgreSQL towards Temporal. */
export const Person = defineEntity({
  name: 'Person',
  tableName: 'persons',
  properties: {
    id: p.uuid().primary(),
    officeId: p.uuid(),
    firstName: p.text(),
    /** *tussenvoegsel*, e.g. "van der". */
    infix: p.text().nullable(),
    lastName: p.text(),
    /** YYYY-MM-DD. */
    birthDate: p.date().nullable(),
    email: p.text().nullable(),
    phone: p.text().nullable(),
    street: p.text().nullable(),
    houseNumber: p.integer().nullable(),
    houseNumberSuffix: p.text().nullable(),
    /** Normalised "1234AB". */
    postcode: p.text().nullable(),
    city: p.text().nullable(),
    country: p.text().default('NL'),
    /** *Geslacht* (domain/crm/family.ts). */
    gender: p.enum([...genders]).nullable(),
    /** *Burgerlijke staat* (domain/crm/family.ts). */
    maritalStatus: p.enum([...maritalStatuses]).nullable(),
    /** YYYY-MM-DD; set by an edit or by ending a partnership by death. */
    dateOfDeath: p.date().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type Person = InferEntity<typeof Person>;

/** "Jan van der Berg": first name, infix and last name joined. */
export function personFullName(person: Pick<Person, 'firstName' | 'infix' | 'lastName'>): string {
  return [person.firstName, person.infix, person.lastName].filter((s) => s && s.trim() !== '').join(' ');
}
