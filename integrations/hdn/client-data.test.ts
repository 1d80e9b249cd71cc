import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildHdnClientData, readHdnClientData, type HdnClientData } from './client-data.js';
import { readHdnMessage } from './read.js';
import type { HdnApplication } from './types.js';
import { buildPublicHdn } from './write.js';

const fixtures = join(import.meta.dirname, 'mapping', 'test-fixtures');

const data: HdnClientData = {
  header: {
    senderNode: 'DFLT01',
    receiverNode: 'DFLT01',
    senderName: 'Advieskantoor Test',
    receiverName: 'adviessoftware',
    receiverCode: 'ADVIES',
    messageType: 'AX',
    messageVersion: '24.0',
    sentDate: '2026-12-06',
    sentTime: '21:00:00',
    packageName: 'dossierflow',
    packageVersion: '1.0',
    applicationNumber: '2026-000042',
    applicationVersion: '1',
  },
  applicants: [
    {
      position: 1,
      firstName: 'Anna',
      infix: 'van der',
      lastName: 'Berg',
      birthDate: '1980-04-01',
      gender: 'female',
      maritalStatus: 'married_limited_community',
      email: 'anna@example.nl',
      phone: '0612345678',
      street: 'Dorpsstraat',
      houseNumber: 12,
      houseNumberSuffix: 'A',
      postcode: '1234AB',
      city: 'Utrecht',
    },
    { position: 2, firstName: 'Bram', lastName: 'Berg', birthDate: '1978-09-15', gender: 'male', maritalStatus: 'married_limited_community' },
  ],
  children: [
    { firstName: 'Sem', lastName: 'Berg', birthDate: '2009-01-20' },
    { firstName: 'Lotte', infix: 'van der', lastName: 'Berg', birthDate: '2012-05-05' },
  ],
};

describe('the HDN-structured client-data document', () => {
  it('round-trips through the HDN mapping of 24.0: what is written is read back the same', () => {
    const xml = buildHdnClientData(data);
    expect(readHdnClientData(xml)).toEqual(data);
  });

  it('carries the platform values as the version\'s codes, in the AX structure without loan parts or property', () => {
    const xml = buildHdnClientData(data);
    expect(xml).toMatch(/^<\?xml[^>]*>\s*<AX>/);
    expect(xml).toContain('<BerichtSoort>AX</BerichtSoort>');
    expect(xml).toContain('<Geslacht>02</Geslacht>');
    expect(xml).toContain('<BurgerlijkeStaat>03</BurgerlijkeStaat>');
    expect(xml).toContain('<Kind>');
    expect(xml).toContain('<GeboorteDt>2012-05-05</GeboorteDt>');
    expect(xml).not.toContain('<Lening>');
    expect(xml).not.toContain('<Onderpand>');
  });

  it('is not an application: the AX reader refuses it for its missing loan part', () => {
    expect(() => readHdnMessage(buildHdnClientData(data))).toThrow(/loan part/);
  });

  it('refuses an application as a client-data document, and a document without its required birth date', () => {
    expect(() => readHdnClientData(readFileSync(join(fixtures, 'ax-24.xml'), 'utf8'))).toThrow(/application/);
    const noBirth = { ...data, applicants: [{ ...data.applicants[0]!, birthDate: undefined as unknown as string }] };
    expect(() => buildHdnClientData(noBirth)).toThrow(/GeboorteDt/);
  });

  it('writes a newer requested version with the newest data file we have, and says so in the header', () => {
    const xml = buildHdnClientData({ ...data, header: { ...data.header, messageVersion: '31.0' } });
    expect(xml).toContain('<BerichtVersie>24.0</BerichtVersie>');
  });
});

describe('an AX with gender, marital status and children (issue 19 mapping fields)', () => {
  it('keeps them through read and write, so an inbound AX loses nothing', () => {
    const ax = readHdnMessage(readFileSync(join(fixtures, 'ax-24.xml'), 'utf8')) as HdnApplication;
    const withFamily: HdnApplication = {
      ...ax,
      applicants: ax.applicants.map((a, i) => ({ ...a, gender: i === 0 ? '01' : '02', maritalStatus: '05' })),
      children: [{ firstName: 'Noor', lastName: 'Vries', birthDate: '2015-07-07' }],
    };
    const again = readHdnMessage(buildPublicHdn(withFamily)) as HdnApplication;
    expect(again.applicants.map((a) => [a.gender, a.maritalStatus])).toEqual([
      ['01', '05'],
      ['02', '05'],
    ]);
    expect(again.children).toEqual([{ firstName: 'Noor', lastName: 'Vries', birthDate: '2015-07-07' }]);
    expect(again.loanParts).toEqual(ax.loanParts);
  });
});
