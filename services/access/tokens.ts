/**
 * API credentials are opaque bearer tokens `dfl_<role>_<32 random bytes base64url>`. Only the
 * sha256 of a token is stored, so a database leak does not leak tokens.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '../../domain/roles.js';

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function generateToken(role: Role): string {
  return `dfl_${role}_${randomBytes(32).toString('base64url')}`;
}
