/**
 * Who may call the platform. People sign in with a user role; every external party has
 * credentials of its own, so a lender can never post as advice software or the bank.
 */
export const userRoles = ['adviser', 'designer', 'admin'] as const;
export type UserRole = (typeof userRoles)[number];

export const partyRoles = ['lender', 'advice_software', 'risk', 'ockto', 'bank'] as const;
export type PartyRole = (typeof partyRoles)[number];

export type Role = UserRole | PartyRole;
export const allRoles: readonly Role[] = [...userRoles, ...partyRoles];

export function isRole(value: string): value is Role {
  return (allRoles as readonly string[]).includes(value);
}

/** An admin may do whatever an adviser or designer may; parties only their own endpoints. */
export function roleSatisfies(actual: Role, allowed: readonly Role[]): boolean {
  if (allowed.includes(actual)) return true;
  return actual === 'admin' && allowed.some((r) => r === 'adviser' || r === 'designer');
}

/** The authenticated caller: a credential of one office with one role. */
export interface Principal {
  credentialId: string;
  officeId: string;
  role: Role;
}
