/** TOTP at sign-in accepts the code of the current 30-second step and one step either side, no more. */
import * as OTPAuth from 'otpauth';
import { describe, expect, it } from 'vitest';
import { cookieSecure, totpMatches } from '../../services/access/users.js';

const secret = new OTPAuth.Secret({ size: 20 }).base32;
const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 });
// The middle of a step, so ±offsets land in the intended neighbouring steps.
const now = new Date(Math.floor(Date.UTC(2026, 11, 6, 10) / 30_000) * 30_000 + 15_000);

describe('TOTP window', () => {
  it.each([
    [-90, false],
    [-60, false],
    [-30, true],
    [0, true],
    [30, true],
    [60, false],
  ])('a code of %i s away is accepted: %s', (seconds, accepted) => {
    const code = totp.generate({ timestamp: now.getTime() + seconds * 1000 });
    expect(totpMatches(secret, code, now)).toBe(accepted);
  });
  it.each(['', '12345', '1234567', 'abcdef'])('refuses %j', (code) => {
    expect(totpMatches(secret, code, now)).toBe(false);
  });
});

describe('Secure cookie flag', () => {
  it.each([
    ['auto', 'http', false],
    ['auto', 'https', true],
    ['always', 'http', true],
  ] as const)('%s over %s → %s', (setting, protocol, secure) => {
    expect(cookieSecure(setting, protocol)).toBe(secure);
  });
});
