/**
 * IBAN checks for the domain (pure: no Node built-ins, runs in workflows too).
 *
 * Own code for what we want to explain to a person (length per country, mod-97), with readable
 * reasons; `ibantools` (pure JS, no dependencies) only for the national BBAN layout of countries
 * outside our table, so a typo like a letter in a German account number is caught as well.
 */
import { getCountrySpecifications, isValidBBAN } from 'ibantools';

export type IbanCheck = { ok: true; iban: string } | { ok: false; reason: string };

/**
 * IBAN length per country for the countries we meet daily (ECBS IBAN registry). Other countries
 * fall back on ibantools' registry, and unknown ones on the generic 15-34 limits.
 */
export const ibanLengths: Readonly<Record<string, number>> = Object.freeze({
  NL: 18,
  BE: 16,
  DE: 22,
  FR: 27,
  LU: 20,
  ES: 24,
  IT: 27,
  GB: 22,
  AT: 20,
  CH: 21,
  IE: 22,
  PT: 25,
});

const MIN_LENGTH = 15;
const MAX_LENGTH = 34;
const SHAPE = /^[A-Z]{2}[0-9]{2}[A-Z0-9]+$/;

/** Electronic form: no whitespace, upper case ("nl91 abna 0417 1643 00" -> "NL91ABNA0417164300"). */
export function normalizeIban(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase();
}

/** Paper form: groups of four ("NL91 ABNA 0417 1643 00"). Input is normalized first. */
export function formatIban(raw: string): string {
  return normalizeIban(raw).replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * ISO 7064 mod 97-10 of an alphanumeric string (letters count as A=10 ... Z=35), computed in
 * chunks so no number ever exceeds what a double holds exactly.
 */
export function mod97(alphanumeric: string): number {
  let remainder = 0;
  for (const ch of alphanumeric) {
    const code = ch.charCodeAt(0);
    const value = code >= 65 && code <= 90 ? code - 55 : code - 48;
    // One or two digits at a time: remainder < 97, so remainder * 100 + 99 < 2^53.
    remainder = (remainder * (value >= 10 ? 100 : 10) + value) % 97;
  }
  return remainder;
}

/** Expected length for a country code, or undefined when no registry knows it. */
export function ibanLengthFor(country: string): number | undefined {
  const own = ibanLengths[country];
  if (own !== undefined) return own;
  const spec = getCountrySpecifications()[country];
  return typeof spec?.chars === 'number' ? spec.chars : undefined;
}

/** Full check with the first reason it fails; the reason names the IBAN (normalized) so it can be shown as is. */
export function checkIban(raw: string): IbanCheck {
  const iban = normalizeIban(raw);
  if (iban === '') return { ok: false, reason: 'IBAN is empty' };
  const shown = iban.length > 40 ? `${iban.slice(0, 40)}…` : iban;
  const fail = (problem: string): IbanCheck => ({ ok: false, reason: `IBAN ${shown}: ${problem}` });
  if (!SHAPE.test(iban)) {
    return fail('must be a 2-letter country code, 2 check digits and letters/digits only');
  }
  const country = iban.slice(0, 2);
  const expected = ibanLengthFor(country);
  if (expected !== undefined && iban.length !== expected) {
    return fail(`a ${country} IBAN has ${expected} characters, this one has ${iban.length}`);
  }
  if (expected === undefined && (iban.length < MIN_LENGTH || iban.length > MAX_LENGTH)) {
    return fail(`must have ${MIN_LENGTH} to ${MAX_LENGTH} characters, this one has ${iban.length}`);
  }
  if (mod97(iban.slice(4) + iban.slice(0, 4)) !== 1) return fail('check digits do not match');
  // National layout (e.g. NL: 4 letters + 10 digits) only where a registry defines one.
  const spec = getCountrySpecifications()[country];
  if (typeof spec?.bban_regexp === 'string' && !isValidBBAN(iban.slice(4), country)) {
    return fail(`account part does not match the ${country} format (layout or national check digits)`);
  }
  return { ok: true, iban };
}

/** Check digits for a country and BBAN (test data, composing IBANs): 98 - mod97(BBAN + CC + "00"). */
export function ibanCheckDigits(country: string, bban: string): string {
  const value = 98 - mod97(normalizeIban(bban) + country.toUpperCase() + '00');
  return String(value).padStart(2, '0');
}
