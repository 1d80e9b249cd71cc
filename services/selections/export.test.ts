import { describe, expect, it } from 'vitest';
import { csvStream, defuse, sheetNameOf } from './export.js';
import type { SelectionRow } from './schemas.js';

describe('defuse: cells a spreadsheet would run as a formula become text', () => {
  it.each([
    ['=SUM(A1)', "'=SUM(A1)"],
    ['+31 6 12345678', "'+31 6 12345678"],
    ['-2', "'-2"],
    ['@cmd', "'@cmd"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['Jansen', 'Jansen'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('%j -> %j', (input, output) => {
    expect(defuse(input)).toBe(output);
  });
});

describe('sheetNameOf', () => {
  it.each([
    ['Hypotheek: zonder [opstal]', 'Hypotheek  zonder  opstal'],
    ['x'.repeat(40), 'x'.repeat(31)],
    ['///', 'Selectie'],
  ])('%j -> %j', (input, output) => {
    expect(sheetNameOf(input)).toBe(output);
  });
});

const row = (over: Partial<SelectionRow>): SelectionRow => ({
  personId: 'p1',
  name: 'Anna Jansen',
  firstName: 'Anna',
  infix: null,
  lastName: 'Jansen',
  email: 'anna@example.nl',
  phone: null,
  street: null,
  houseNumber: 12,
  houseNumberSuffix: null,
  postcode: null,
  city: null,
  birthDate: '1990-04-12',
  mailOptOut: false,
  dossierId: null,
  dossierNumber: null,
  dossierStatus: null,
  dossierCreatedAt: null,
  ...over,
});

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

describe('csvStream', () => {
  it('BOM, Dutch header, ; separator, CRLF, RFC 4180 quoting, empty cells for null', async () => {
    async function* batches() {
      yield [row({ lastName: 'Jansen; "Jr"', name: 'Anna Jansen; "Jr"' })];
      yield [row({ firstName: '=1+1', city: 'Line\nbreak', dossierNumber: '2026-000001', dossierStatus: 'client', dossierCreatedAt: '2026-03-01T10:00:00.000Z' })];
    }
    const out = await text(csvStream(batches()));
    expect(out.startsWith('\uFEFFNaam;Voornaam;')).toBe(true);
    const lines = out.slice(1).split('\r\n');
    expect(lines[1]).toBe('"Anna Jansen; ""Jr""";Anna;;"Jansen; ""Jr""";anna@example.nl;;;12;;;;1990-04-12;nee;;;');
    // A line break inside a field is quoted (the record goes on after it).
    expect(lines[2]).toBe('Anna Jansen;\'=1+1;;Jansen;anna@example.nl;;;12;;;"Line\nbreak";1990-04-12;nee;2026-000001;klant;2026-03-01');
    expect(lines).toHaveLength(4); // header, two rows, the empty string after the last CRLF
  });
});
