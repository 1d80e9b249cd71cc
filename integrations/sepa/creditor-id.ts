/**
 * SEPA creditor identifier (*incassant-ID*): CC + 2 check digits + 3-character business code +
 * national identifier. The check digits are ISO 7064 mod 97-10 over national id + CC + "00";
 * the business code is NOT part of it (a creditor may choose it freely, usually "ZZZ").
 */
import { mod97 } from '../../domain/iban.js';

export type CreditorIdCheck = { ok: true; creditorId: string } | { ok: false; reason: string };

/** Known total lengths (EPC "Creditor Identifier Overview"); other countries: generic shape only. */
const creditorIdLengths: Readonly<Record<string, number>> = { NL: 19, DE: 18, BE: 20, FR: 13 };
const SHAPE = /^[A-Z]{2}[0-9]{2}[A-Z0-9]{3}[A-Z0-9]{1,28}$/;

export function checkCreditorId(raw: string): CreditorIdCheck {
  const id = raw.replace(/\s+/g, '').toUpperCase();
  if (id === '') return { ok: false, reason: 'creditor id is missing' };
  const shown = id.length > 40 ? `${id.slice(0, 40)}…` : id;
  const fail = (problem: string): CreditorIdCheck => ({ ok: false, reason: `creditor id ${shown}: ${problem}` });
  if (!SHAPE.test(id)) {
    return fail('must be a 2-letter country code, 2 check digits, a 3-character business code and the national id (letters/digits, at most 35 in all)');
  }
  const country = id.slice(0, 2);
  const expected = creditorIdLengths[country];
  if (expected !== undefined && id.length !== expected) return fail(`a ${country} creditor id has ${expected} characters, this one has ${id.length}`);
  if (creditorIdCheckDigits(country, id.slice(7)) !== id.slice(2, 4)) return fail('check digits do not match');
  return { ok: true, creditorId: id };
}

/** Check digits for a national id (98 - mod97(national id + CC + "00")); also for composing test data. */
export function creditorIdCheckDigits(country: string, nationalId: string): string {
  return String(98 - mod97(`${nationalId}${country}00`.toUpperCase())).padStart(2, '0');
}
