/** Closed lists of persons (*relaties*). */

/** Why an existing person is a likely duplicate: same birth date and last name, same e-mail, same postcode and house number. */
export const duplicateReasons = ['birthDate+name', 'email', 'address'] as const;
export type DuplicateReason = (typeof duplicateReasons)[number];
