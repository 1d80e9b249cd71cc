import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

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
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type Person = InferEntity<typeof Person>;

/** "Jan van der Berg": first name, infix and last name joined. */
export function personFullName(person: Pick<Person, 'firstName' | 'infix' | 'lastName'>): string {
  return [person.firstName, person.infix, person.lastName].filter((s) => s && s.trim() !== '').join(' ');
}
