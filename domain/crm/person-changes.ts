/**
 * Field-level changes of a person (*relatie*): which fields an edit really changes, as the
 * history line shows them (old → new). Pure, so the API, the history and the "new AX version
 * needed" rule agree on what counts as a change.
 */

/**
 * The person fields an adviser edits, in the order the card shows them. Every one of them but
 * the date of death is also carried by the applicant of an HDN AX (integrations/hdn/types.ts
 * `HdnApplicant`), and the death of an applicant is news the lender needs too, so a change of any
 * of them after an AX went to the lender means the lender has outdated data. The family fields
 * (gender, *burgerlijke staat*, date of death: domain/crm/family.ts) came with issue 19.
 */
export const personEditFields = [
  'firstName',
  'infix',
  'lastName',
  'birthDate',
  'email',
  'phone',
  'street',
  'houseNumber',
  'houseNumberSuffix',
  'postcode',
  'city',
  'gender',
  'maritalStatus',
  'dateOfDeath',
] as const;
export type PersonEditField = (typeof personEditFields)[number];

/** A person's value of each field as text (a house number as its digits), null when empty. */
export type PersonFieldValues = Record<PersonEditField, string | null>;

/** What an edit asks for: a field left out stays, `null` clears it. */
export type PersonFieldPatch = Partial<Record<PersonEditField, string | number | null>>;

export interface PersonFieldChange {
  field: PersonEditField;
  oldValue: string | null;
  newValue: string | null;
}

/**
 * The stored form of a value: trimmed, an empty text is no value, a postcode without spaces in
 * capitals ("1234 ab" is "1234AB"), a house number as its digits. The same rule the create path
 * applies, so sending back what the card shows is no change.
 */
export function normaliseFieldValue(field: PersonEditField, value: string | number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return String(value);
  const text = field === 'postcode' ? value.replace(/\s+/g, '').toUpperCase() : value.trim();
  return text === '' ? null : text;
}

/**
 * The fields whose normalised value differs, in the card's order. An e-mail address differing
 * only in capitals is a change (the address is shown as typed), but nothing else that
 * normalises to the same value is.
 */
export function personFieldChanges(current: PersonFieldValues, patch: PersonFieldPatch): PersonFieldChange[] {
  const changes: PersonFieldChange[] = [];
  for (const field of personEditFields) {
    const wanted = patch[field];
    if (wanted === undefined) continue; // left out: stays as it is
    const next = normaliseFieldValue(field, wanted);
    const old = normaliseFieldValue(field, current[field]);
    if (next !== old) changes.push({ field, oldValue: old, newValue: next });
  }
  return changes;
}
