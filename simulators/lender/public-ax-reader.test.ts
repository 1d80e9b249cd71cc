/**
 * The simulated lender's own reader of public-shape AX/DX against what our platform writes
 * (integrations/hdn/write.ts): two independent readings of the same XML must agree, and the
 * lender refuses what a lender would refuse. Fixtures are SYNTHETIC (integrations/hdn/mapping/
 * test-fixtures, said in each file; the legacy AX is integrations/hdn/fixtures/ax.xml).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHdn } from '../../integrations/hdn/codec.js';
import { readHdnMessage } from '../../integrations/hdn/read.js';
import { HdnError, HdnErrorType, type HdnApplication, type HdnDocumentDelivery } from '../../integrations/hdn/types.js';
import { buildPublicHdn } from '../../integrations/hdn/write.js';
import { readPublicLenderInbound } from './public-ax-reader.js';
import { startLenderSimulator, type LenderSimulator } from './simulator.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixtureDir = join(here, '..', '..', 'integrations', 'hdn', 'mapping', 'test-fixtures');
const ax24 = readFileSync(join(fixtureDir, 'ax-24.xml'), 'utf8');
const dx24 = readFileSync(join(fixtureDir, 'dx-24.xml'), 'utf8');
const legacyAx = parseHdn(readFileSync(join(here, '..', '..', 'integrations', 'hdn', 'fixtures', 'ax.xml'), 'utf8')) as HdnApplication;
const LIMITS = { maxBytes: 20 * 1024 * 1024 };

/** Our reading without what a lender ignores: unknown elements (`extra`) and recorded codes. */
function withoutExtras(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutExtras);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'extra' && key !== 'codes')
      .map(([key, v]) => [key, withoutExtras(v)]),
  );
}

function hdnError(fn: () => unknown): HdnError {
  try {
    fn();
  } catch (error) {
    if (error instanceof HdnError) return error;
    throw error;
  }
  throw new Error('expected an HdnError');
}

describe("the lender's own reader agrees with our writer", () => {
  it.each([
    { what: 'public AX fixture', xml: ax24 },
    { what: 'public AX we write from a legacy <HDN> AX', xml: buildPublicHdn(legacyAx) },
    { what: 'public DX fixture', xml: dx24 },
    {
      what: 'public DX we write',
      xml: buildPublicHdn({
        type: 'DX',
        header: { ...legacyAx.header, messageType: 'DX', packageName: 'dossierflow', packageVersion: '0.1.0' },
        lineId: 'R1',
        documentKind: '003',
        attachment: { filename: 'taxatie.pdf', contentType: 'application/pdf', contentBase64: Buffer.from('%PDF-1.4 synthetic').toString('base64') },
      } satisfies HdnDocumentDelivery),
    },
  ])('$what', ({ xml }) => {
    expect(readPublicLenderInbound(xml, LIMITS)).toStrictEqual(withoutExtras(readHdnMessage(xml)));
  });

  it('reads decimal euros exactly (no float rounding) and codes as codes', () => {
    const ax = readPublicLenderInbound(ax24.replace('300000.00<', '1234567.89<'), LIMITS) as HdnApplication;
    expect(ax.loanParts.map((p) => [p.amountCents, p.repaymentType])).toEqual([[123_456_789, '01'], [9_000_050, '05']]);
  });
});

describe('the lender refuses what it cannot take, naming the element', () => {
  it.each([
    { what: 'an applicant without last name', xml: ax24.replace('<AchterNaam>Vries</AchterNaam>', ''), type: HdnErrorType.Invalid, element: 'AX/Aanvrager[1]/AchterNaam' },
    { what: 'an amount with three decimals', xml: ax24.replace('90000.5<', '90000.505<'), type: HdnErrorType.Invalid, element: 'AX/Lening/LeningDeel[2]/LeningDeelBedrag' },
    { what: 'a repayment word instead of a code', xml: ax24.replace('<AflossingsVorm>01<', '<AflossingsVorm>annuiteit<'), type: HdnErrorType.Invalid, element: 'AX/Lening/LeningDeel[1]/AflossingsVorm' },
    { what: 'no loan part', xml: ax24.replace(/<LeningDeel>[\s\S]*<\/LeningDeel>/, ''), type: HdnErrorType.Invalid, element: 'AX/Lening/LeningDeel' },
    { what: 'a DX without content', xml: dx24.replace(/<EncodedData>[\s\S]*<\/EncodedData>/, ''), type: HdnErrorType.Invalid, element: 'DX/PrintDoc/EncodedData' },
    { what: 'a DX without line id', xml: dx24.replace('<DocumentKenmerk>DOC-1</DocumentKenmerk>', ''), type: HdnErrorType.Invalid, element: 'DX/Document/DocumentKenmerk' },
    { what: 'an SX (a lender sends those)', xml: ax24.replaceAll('AX>', 'SX>'), type: HdnErrorType.Invalid, element: 'SX' },
    { what: 'BerichtSoort not matching the root', xml: ax24.replace('<BerichtSoort>AX<', '<BerichtSoort>DX<'), type: HdnErrorType.Invalid, element: 'AX/Header/BerichtSoort' },
    { what: 'a DOCTYPE', xml: ax24.replace('<AX>', '<!DOCTYPE AX [<!ENTITY x "y">]><AX>'), type: HdnErrorType.ForbiddenConstruct, element: undefined },
    { what: 'broken XML', xml: ax24.replace('</Header>', ''), type: HdnErrorType.Malformed, element: undefined },
  ])('$what', ({ xml, type, element }) => {
    const error = hdnError(() => readPublicLenderInbound(xml, LIMITS));
    expect([error.type, error.element]).toEqual([type, element]);
  });

  it('a body over the limit', () => {
    expect(hdnError(() => readPublicLenderInbound(ax24, { maxBytes: 100 })).type).toBe(HdnErrorType.TooLarge);
  });
});

describe('POST /hdn with the public shape', () => {
  let lender: LenderSimulator;
  const token = 'lender-inbound-secret';
  // Nothing is delivered within the test: the first answer waits a minute (the lender is stopped before).
  beforeAll(async () => {
    lender = await startLenderSimulator({ port: 0, inboundToken: token, deliverTo: { url: 'http://127.0.0.1:9/hdn', token: 'x' }, sx09DelayMs: 60_000, log: () => {} });
  });
  afterAll(async () => {
    await lender.stop();
  });

  const post = async (xml: string) => {
    const res = await fetch(lender.inboundUrl, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' }, body: xml });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const forLender = (xml: string, applicationNumber: string) =>
    xml.replace('<OntvangerNrHDN>300001</OntvangerNrHDN>', `<OntvangerNrHDN>${lender.nodeNumber}</OntvangerNrHDN>`).replace('<AanvraagVolgNr>000123<', `<AanvraagVolgNr>${applicationNumber}<`);

  it('accepts an AX we wrote, places the application, and takes a DX for an unknown line as a 400', async () => {
    const ax = buildPublicHdn({ ...legacyAx, header: { ...legacyAx.header, receiverNode: lender.nodeNumber, applicationNumber: 'PUB-1' } });
    const accepted = await post(ax);
    expect(accepted).toMatchObject({ status: 202, body: { status: 'accepted', messageType: 'AX', applicationNumber: 'PUB-1' } });
    expect(lender.applications().find((a) => a.applicationNumber === 'PUB-1')).toMatchObject({ state: 'running' });
    const dx = await post(forLender(dx24, 'PUB-1'));
    expect(dx).toMatchObject({ status: 400, body: { title: 'Unknown document line' } });
  });

  it('refuses a public AX missing a required element with 400 naming it', async () => {
    const refused = await post(forLender(ax24, 'PUB-2').replace('<GeboorteDt>1988-04-12</GeboorteDt>', ''));
    expect(refused).toMatchObject({ status: 400, body: { errorType: HdnErrorType.Invalid, element: 'AX/Aanvrager[1]/GeboorteDt' } });
  });
});
