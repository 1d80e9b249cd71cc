import { describe, expect, it } from 'vitest';
import { checkIban, formatIban, ibanCheckDigits, mod97, normalizeIban } from './iban.js';

describe('normalizeIban / formatIban', () => {
  it.each([
    ['nl91 abna 0417 1643 00', 'NL91ABNA0417164300', 'NL91 ABNA 0417 1643 00'],
    ['  DE89 3704\t0044 0532 0130 00 ', 'DE89370400440532013000', 'DE89 3704 0044 0532 0130 00'],
    ['BE68539007547034', 'BE68539007547034', 'BE68 5390 0754 7034'],
    ['', '', ''],
  ])('%j -> %s / %s', (raw, normalized, formatted) => {
    expect(normalizeIban(raw)).toBe(normalized);
    expect(formatIban(raw)).toBe(formatted);
  });
});

describe('checkIban', () => {
  // The usual public example IBANs (ECBS registry), all valid.
  it.each([
    'NL91ABNA0417164300',
    'nl91 abna 0417 1643 00',
    'BE68539007547034',
    'DE89370400440532013000',
    'FR1420041010050500013M02606',
    'LU280019400644750000',
    'ES9121000418450200051332',
    'IT60X0542811101000000123456',
    'GB29NWBK60161331926819',
    'CH9300762011623852957',
  ])('accepts %s', (raw) => {
    expect(checkIban(raw)).toEqual({ ok: true, iban: normalizeIban(raw) });
  });

  it.each([
    ['', 'IBAN is empty'],
    ['   ', 'IBAN is empty'],
    ['NL91ABNA0417164301', 'IBAN NL91ABNA0417164301: check digits do not match'],
    ['NL91ABNA041716430', 'IBAN NL91ABNA041716430: a NL IBAN has 18 characters, this one has 17'],
    ['DE8937040044053201300', 'IBAN DE8937040044053201300: a DE IBAN has 22 characters, this one has 21'],
    ['BE6853900754703', 'IBAN BE6853900754703: a BE IBAN has 16 characters, this one has 15'],
    ['FR14200410100505000', 'IBAN FR14200410100505000: a FR IBAN has 27 characters, this one has 19'],
    ['1234ABNA0417164300', 'IBAN 1234ABNA0417164300: must be a 2-letter country code, 2 check digits and letters/digits only'],
    ['NL91-ABNA-0417164300', 'IBAN NL91-ABNA-0417164300: must be a 2-letter country code, 2 check digits and letters/digits only'],
    ['NLXXABNA0417164300', 'IBAN NLXXABNA0417164300: must be a 2-letter country code, 2 check digits and letters/digits only'],
    ['QQ12345', 'IBAN QQ12345: must have 15 to 34 characters, this one has 7'],
    // Right length and mod-97, but digits where NL has the bank code letters.
    [`NL${ibanCheckDigits('NL', '12340417164300')}12340417164300`, 'account part does not match the NL format'],
  ])('refuses %j: %s', (raw, reason) => {
    const result = checkIban(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });

  it('accepts an unknown country with generic length and a valid mod-97', () => {
    const iban = `QQ${ibanCheckDigits('QQ', 'ABCD123456789012')}ABCD123456789012`;
    expect(checkIban(iban)).toEqual({ ok: true, iban });
  });
});

describe('mod97 / ibanCheckDigits', () => {
  it('computes the check digits of the example IBANs', () => {
    expect(ibanCheckDigits('NL', 'ABNA0417164300')).toBe('91');
    expect(ibanCheckDigits('DE', '370400440532013000')).toBe('89');
    expect(ibanCheckDigits('BE', '539007547034')).toBe('68');
  });

  it('is 1 for a valid rearranged IBAN and stays exact on long input', () => {
    expect(mod97('ABNA0417164300NL91')).toBe(1);
    expect(mod97('9'.repeat(500))).toBe(Number(BigInt('9'.repeat(500)) % 97n));
  });
});
