import { describe, expect, it } from 'vitest';
import { derivedProductRole, normaliseWebsite, parseEstablishmentNumber, parseKvkNumber, periodIsValid, type NumberCheck, type OrganisationKind, type PartyRole } from './organisations.js';

describe('parseKvkNumber', () => {
  const table: [string, string, NumberCheck['ok'], string?][] = [
    ['eight digits', '12345678', true, '12345678'],
    ['with spaces', '1234 5678', true, '12345678'],
    ['with dots and a hyphen', '12.34-56.78', true, '12345678'],
    ['leading zeros kept', '01234567', true, '01234567'],
    ['spaces around', '  87654321 ', true, '87654321'],
    ['seven digits', '1234567', false],
    ['nine digits', '123456789', false],
    ['a letter', '1234567a', false],
    ['empty', '', false],
    ['a vestigingsnummer is no KvK number', '000012345678', false],
    ['other separators are not ignored', '1234/5678', false],
  ];
  it.each(table)('%s: %s', (_, raw, ok, value) => {
    const result = parseKvkNumber(raw);
    expect(result.ok).toBe(ok);
    if (result.ok) expect(result.value).toBe(value);
    else expect(result.message).toMatch(/8 digits/);
  });
});

describe('parseEstablishmentNumber', () => {
  const table: [string, string, NumberCheck['ok'], string?][] = [
    ['twelve digits', '000012345678', true, '000012345678'],
    ['grouped as printed', '0000 1234 5678', true, '000012345678'],
    ['with dots', '0000.1234.5678', true, '000012345678'],
    ['eleven digits', '00001234567', false],
    ['thirteen digits', '0000123456789', false],
    ['a KvK number', '12345678', false],
    ['all zeros', '0000 0000 0000', false],
    ['letters', 'ABCD12345678', false],
  ];
  it.each(table)('%s: %s', (_, raw, ok, value) => {
    const result = parseEstablishmentNumber(raw);
    expect(result.ok).toBe(ok);
    if (result.ok) expect(result.value).toBe(value);
  });
});

describe('normaliseWebsite', () => {
  const table: [string, string, NumberCheck['ok'], string?][] = [
    ['as typed', 'www.notaris.nl', true, 'https://www.notaris.nl'],
    ['with https', 'https://bank.example/hypotheken', true, 'https://bank.example/hypotheken'],
    ['with http', 'http://werkgever.nl', true, 'http://werkgever.nl'],
    ['trimmed', '  notaris.nl  ', true, 'https://notaris.nl'],
    ['no domain', 'localhost', false],
    ['javascript is no web address', 'javascript:alert(1)', false],
    ['mail address scheme', 'mailto:info@notaris.nl', false],
    ['spaces inside', 'www.no taris.nl', false],
  ];
  it.each(table)('%s: %s', (_, raw, ok, value) => {
    const result = normaliseWebsite(raw);
    expect(result.ok).toBe(ok);
    if (result.ok) expect(result.value).toBe(value);
  });
});

describe('periodIsValid', () => {
  const table: [string | null, string | null, boolean][] = [
    [null, null, true],
    ['2024-01-01', null, true],
    [null, '2024-01-01', true],
    ['2024-01-01', '2024-01-01', true],
    ['2024-01-01', '2025-06-30', true],
    ['2025-06-30', '2024-01-01', false],
  ];
  it.each(table)('%s – %s: %s', (start, end, valid) => expect(periodIsValid(start, end)).toBe(valid));
});

describe('derivedProductRole', () => {
  const table: [OrganisationKind, PartyRole | null][] = [
    ['lender', 'lender'],
    ['insurer', 'insurer'],
    ['notary', null],
    ['employer', null],
    ['other', null],
  ];
  it.each(table)('%s → %s', (kind, role) => expect(derivedProductRole(kind)).toBe(role));
});
