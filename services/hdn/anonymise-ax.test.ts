/**
 * Anonymising a person in a stored AX, in the shape it was stored in (issue 17, deliverable 7):
 * a legacy `<HDN>` row stays legacy, a public-shape row stays public; unknown elements and the
 * other applicant are kept. Fixtures are SYNTHETIC (integrations/hdn/fixtures/ax.xml and
 * integrations/hdn/mapping/test-fixtures/ax-24.xml, fake people).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readHdnMessage, readHdnMessageDetailed } from '../../integrations/hdn/read.js';
import type { HdnApplication } from '../../integrations/hdn/types.js';
import { REDACTED, REDACTED_DATE, type PersonIdentity } from '../privacy/scrub.js';
import { anonymiseAx } from './anonymise-ax.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'integrations', 'hdn');
const legacy = readFileSync(join(root, 'fixtures', 'ax.xml'), 'utf8');
const publicAx = readFileSync(join(root, 'mapping', 'test-fixtures', 'ax-24.xml'), 'utf8');

function person(p: Partial<PersonIdentity>): PersonIdentity {
  return {
    firstName: 'x',
    infix: null,
    lastName: 'x',
    birthDate: null,
    email: null,
    phone: null,
    street: null,
    houseNumber: null,
    houseNumberSuffix: null,
    postcode: null,
    city: null,
    debtorNames: [],
    ibans: [],
    ...p,
  };
}

const jan = person({ firstName: 'Jan', lastName: 'Vries', birthDate: '1988-04-12' });
const fatima = person({ email: 'FATIMA@example.nl' });

describe.each([
  { shape: 'legacy', xml: legacy, root: /<HDN>/ },
  { shape: 'public', xml: publicAx, root: /^<\?xml[^>]*\?>\s*<AX>/ },
] as const)('a $shape AX', ({ shape, xml, root: rootPattern }) => {
  it('replaces the matching applicant (by last name and birth date) and keeps the shape, the other applicant and unknown elements', () => {
    const result = anonymiseAx(xml, jan);
    expect(result?.matched).toBe(true);
    const out = result!.xml;
    expect(out).toMatch(rootPattern);
    expect(readHdnMessageDetailed(out).shape).toBe(shape);
    for (const trace of ['Jan', 'Vries', '1988-04-12', 'jan.devries@example.nl', '0612345678', 'Dorpsstraat', '1234 AB']) expect(out).not.toContain(trace);
    const after = readHdnMessage(out) as HdnApplication;
    const before = readHdnMessage(xml) as HdnApplication;
    expect(after.applicants[0]).toEqual({ position: 1, firstName: REDACTED, lastName: REDACTED, birthDate: REDACTED_DATE });
    expect(after.applicants[1]).toEqual(before.applicants[1]);
    // Two applicants: the property is not only theirs, it stays.
    expect(after.property).toEqual(before.property);
    expect(after.loanParts).toEqual(before.loanParts);
    expect(after.extra).toEqual(before.extra);
    expect(out).toContain('A++');
  });

  it('by e-mail, in any case', () => {
    const result = anonymiseAx(xml, fatima);
    expect(result?.matched).toBe(true);
    expect(result!.xml).not.toContain('fatima@example.nl');
    expect(result!.xml).toMatch(rootPattern);
    expect((readHdnMessage(result!.xml) as HdnApplication).applicants.map((a) => a.lastName)).toEqual(['Vries', REDACTED]);
  });

  it('when they are the only applicant, the property address goes too (it is their home); its prices stay', () => {
    // The second applicant (Fatima) removed: her block is the one without a house number.
    const single = xml.replace(/<Aanvrager>\s*(<Volgorde>2<\/Volgorde>\s*)?<Voor[Nn]aam>Fatima[\s\S]*?<\/Aanvrager>/, '');
    expect((readHdnMessage(single) as HdnApplication).applicants).toHaveLength(1);
    const result = anonymiseAx(single, jan);
    expect(result?.matched).toBe(true);
    expect(result!.xml).toMatch(rootPattern);
    for (const trace of ['Kerkweg', '5678 CD', 'Proefstad']) expect(result!.xml).not.toContain(trace);
    const after = readHdnMessage(result!.xml) as HdnApplication;
    expect(after.property).toEqual({ purchasePriceCents: 42_500_000, marketValueCents: 43_000_000 });
  });

  it('leaves the message alone when the person is not in it', () => {
    expect(anonymiseAx(xml, person({ lastName: 'Jansen', birthDate: '1970-01-01' }))).toEqual({ xml, matched: false });
  });
});

it('gives null (a tombstone) for what no reader can read', () => {
  expect(anonymiseAx('<AX><Header/></AX>', jan)).toBeNull();
  expect(anonymiseAx('not xml', jan)).toBeNull();
});

describe('children in a public AX (issue 19)', () => {
  it('go with the anonymisation of an applicant: names and birth dates of the family', () => {
    const withChild = publicAx.replace('</AX>', '<Kind><VoorNaam>Pieter</VoorNaam><AchterNaam>Vries</AchterNaam><GeboorteDt>2015-03-03</GeboorteDt></Kind></AX>');
    expect((readHdnMessage(withChild) as HdnApplication).children).toEqual([{ firstName: 'Pieter', lastName: 'Vries', birthDate: '2015-03-03' }]);
    const result = anonymiseAx(withChild, fatima);
    expect(result?.matched).toBe(true);
    for (const trace of ['Pieter', '2015-03-03']) expect(result!.xml).not.toContain(trace);
    expect((readHdnMessage(result!.xml) as HdnApplication).children).toBeUndefined();
  });
});
