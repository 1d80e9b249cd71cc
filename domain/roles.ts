/**
 * Who may call the platform. People sign in with a user role; every external party has
 * credentials of its own, so a lender can never post as advice software or the bank.
 */
export const userRoles = ['adviser', 'designer', 'admin'] as const;
export type UserRole = (typeof userRoles)[number];

export const partyRoles = ['lender', 'advice_software', 'risk', 'ockto', 'bank'] as const;
export type PartyRole = (typeof partyRoles)[number];

/**
 * The client in the portal (*klantportaal*): neither a user nor a party. It never has an API
 * credential; it comes only from a short-lived portal session (services/portal/sessions.ts),
 * opened with the activation link, and reaches only the routes that name it.
 */
export const portalRoles = ['client'] as const;
export type PortalRole = (typeof portalRoles)[number];

/** A role an API credential can carry. */
export type CredentialRole = UserRole | PartyRole;
export type Role = CredentialRole | PortalRole;
/** The roles an API credential (`api_credentials.role`) can have: users and parties, never the portal's. */
export const allRoles: readonly CredentialRole[] = [...userRoles, ...partyRoles];

/** A role an API credential may carry (the portal's role is not one). */
export function isRole(value: string): value is CredentialRole {
  return (allRoles as readonly string[]).includes(value);
}

/** The role a user with these roles acts with where one is needed: admin, else adviser, else designer. */
export function primaryRole(roles: readonly UserRole[]): UserRole {
  if (roles.includes('admin')) return 'admin';
  if (roles.includes('adviser')) return 'adviser';
  return 'designer';
}

export function isUserRole(value: string): value is UserRole {
  return (userRoles as readonly string[]).includes(value);
}

/** An admin may do whatever an adviser or designer may; parties only their own endpoints. */
export function roleSatisfies(actual: Role, allowed: readonly Role[]): boolean {
  if (allowed.includes(actual)) return true;
  return actual === 'admin' && allowed.some((r) => r === 'adviser' || r === 'designer');
}

/** The authenticated caller: a credential of one office with one role. */
export interface Principal {
  /** The API credential's id, or for the portal the portal session's id. */
  credentialId: string;
  officeId: string;
  role: Role;
  /**
   * Set only for an office user's session cookie (services/access/users.ts): the account, and all
   * its roles (`role` is the primary one, the one its credential carries).
   */
  user?: { userId: string; roles: readonly UserRole[] };
  /** Set only for a portal session (role `client`): whose session, for which dossier. */
  portal?: { personId: string; dossierId: string };
}
