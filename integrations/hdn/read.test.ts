/**
 * readHdnMessage: typed views (SX/OX/DA) over the 24.0 mapping, the legacy <HDN> path (must equal
 * today's codec), recorded codes, version choice, and the test-only 99.0 data file.
 * Public-shape fixtures are SYNTHETIC (mapping/test-fixtures, said in each file).
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseHdn } from './codec.js';
import { HdnMappingError } from './mapping/load.js';
import { XmlParsePool } from '../xml/index.js';
import { checkHdnReadOptions, readHdnMessage, readHdnMessageDetailed, readHdnMessageOffThread, type HdnReadResult } from './read.js';
import { HdnError, HdnErrorType, type HdnDocumentRequest, type HdnOffer, type HdnStatus } from './types.js';

const here = dirname(fileURLToPath(import.meta.url));
const publicDir = join(here, 'mapping', 'test-fixtures');
const legacyDir = join(here, 'fixtures');
const publicFixture = (name: string) => readFileSync(join(publicDir, name), 'utf8');
const sx24 = publicFixture('sx-24.xml');

function publicResult(xml: string, options: Parameters<typeof readHdnMessageDetailed>[2] = {}): Extract<HdnReadResult, { shape: 'public' }> {
  const result = readHdnMessageDetailed(xml, undefined, options);
  if (result.shape !== 'public') throw new Error(`expected the public shape, got ${result.shape}`);
  return result;
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

/** sx-24.xml with the status code replaced. */
const sxWithStatus = (code: string) => sx24.replace('<StatusAXBericht>22</StatusAXBericht>', `<StatusAXBericht>${code}</StatusAXBericht>`);

describe('typed views over the 24.0 mapping', () => {
  const header = {
    senderNode: '300001',
    receiverNode: '400123',
    senderName: 'Voorbeeld Hypotheken N.V.',
    receiverName: 'Dossierflow',
    messageVersion: '24.0',
    receiverCode: 'VBH',
    packageName: 'LenderSim',
    packageVersion: '1.0',
    applicationNumber: '000123',
  };

  it.each([
    {
      file: 'sx-24.xml',
      view: {
        type: 'SX',
        hdnVersion: '24.0',
        header: { ...header, messageType: 'SX', sentDate: '2026-03-02', sentTime: '14:30:00', applicationVersion: '1' },
        status: { code: '22', status: 'known', meaning: 'rate offer sent', category: 'new', rank: 3 },
        reference: 'OF-2026-0042',
        statusDate: '2026-03-02',
        statusTime: '14:29:10',
        statusText: ['Renteaanbod verstuurd'],
        codes: [],
      },
    },
    {
      file: 'ox-24.xml',
      view: {
        type: 'OX',
        hdnVersion: '24.0',
        header: { ...header, messageType: 'OX', sentDate: '2026-03-04', sentTime: '09:15:00', applicationVersion: '2' },
        offerNumber: 'OF-2026-0042',
        offerType: { code: '18', status: 'known', meaning: 'indicative rate offer', label: 'renteaanbod' },
        acceptanceDate: '2026-03-18',
        validityDate: '2026-06-30',
        extensionPossible: true,
        automaticallyExtended: false,
        extended: false,
        latestPassingDate: '2026-06-30',
        loanParts: [
          { amountCents: 25_000_000, durationMonths: 360, fixedRateMonths: 120, repaymentType: { code: '01', status: 'known', meaning: 'annuity', label: 'annuiteit' } },
          { amountCents: 123_450, durationMonths: 360, repaymentType: { code: '05', status: 'known', meaning: 'interest-only', label: 'aflossingsvrij' } },
        ],
        attachments: [{ contentBase64: 'JVBERi0xLjQKJSVFT0YK' }],
        codes: [],
      },
    },
    {
      file: 'da-24.xml',
      view: {
        type: 'DA',
        hdnVersion: '24.0',
        header: { ...header, messageType: 'DA', sentDate: '2026-03-04', sentTime: '09:15:00', applicationVersion: '2' },
        lines: [
          {
            reference: 'DOC-1',
            lenderNumber: 'M-501',
            documentKind: { code: '003', status: 'known', meaning: 'valuation report', label: 'taxatierapport' },
            status: { code: '04', status: 'known', meaning: 'approved' },
            fetchedByLender: false,
          },
          {
            reference: 'DOC-2',
            documentKind: { code: '009', status: 'known', meaning: "employer's statement", label: 'werkgeversverklaring' },
            status: { code: '07', status: 'known', meaning: 'rejected, resend' },
            fetchedByLender: true,
          },
          { lenderNumber: 'M-503', documentKind: { code: '777', status: 'unknown' }, status: { code: '06', status: 'known', meaning: 'provisionally approved' } },
        ],
        codes: [{ field: 'lines[3].documentKind', element: 'DA/Document[3]/SoortDocument', list: 'documentKind', code: '777', status: 'unknown' }],
      },
    },
  ])('$file', ({ file, view }) => {
    const result = publicResult(publicFixture(file));
    expect(result.view).toEqual(view);
    expect(result.hdnVersion).toBe('24.0');
    expect(result.exactVersion).toBe(true);
  });
});

describe('public shape -> the HdnMessage the services consume', () => {
  it('SX', () => {
    const expected: HdnStatus = {
      type: 'SX',
      header: {
        senderNode: '300001',
        receiverNode: '400123',
        senderName: 'Voorbeeld Hypotheken N.V.',
        receiverName: 'Dossierflow',
        messageType: 'SX',
        messageVersion: '24.0',
        receiverCode: 'VBH',
        sentDate: '2026-03-02',
        sentTime: '14:30:00',
        packageName: 'LenderSim',
        packageVersion: '1.0',
        applicationNumber: '000123',
        applicationVersion: '1',
        extra: { Routering: 'extern' },
      },
      statusCode: '22',
      description: 'Renteaanbod verstuurd',
      offerNumber: 'OF-2026-0042',
      reference: 'OF-2026-0042',
      statusDate: '2026-03-02',
      statusTime: '14:29:10',
      extra: { Status: { AXBerichtStatusSpecificatie: { Behandelaar: { '#text': 'J. de Vries', '@_team': '3' } } }, Toekomstig: { Iets: 'kept' } },
    };
    expect(readHdnMessage(sx24)).toEqual(expected);
  });

  it('OX: decimal euros become cents, JN flags booleans, codes stay codes', () => {
    const offer = readHdnMessage(publicFixture('ox-24.xml')) as HdnOffer;
    expect(offer).toMatchObject({
      type: 'OX',
      offerNumber: 'OF-2026-0042',
      offerType: '18',
      acceptanceDate: '2026-03-18',
      validityDate: '2026-06-30',
      extensionPossible: true,
      automaticallyExtended: false,
      extended: false,
      latestPassingDateBeforeExtension: '2026-06-30',
      attachments: [{ filename: 'OF-2026-0042.pdf', contentType: 'application/pdf', contentBase64: 'JVBERi0xLjQKJSVFT0YK' }],
    });
    expect(offer.loanParts).toEqual([
      { number: '1', repaymentType: '01', amountCents: 25_000_000, durationMonths: 360, fixedRateMonths: 120 },
      { number: '2', repaymentType: '05', amountCents: 123_450, durationMonths: 360, extra: { Productnaam: 'Voorbeeld Vrij' } },
    ]);
    expect(offer.codes).toBeUndefined();
  });

  it('DA: line ids from DocumentKenmerk (else DocumentMijNr), unknown kind recorded', () => {
    const da = readHdnMessage(publicFixture('da-24.xml')) as HdnDocumentRequest;
    expect(da.lines).toEqual([
      { lineId: 'DOC-1', documentKind: '003', status: '04', fetchedByLender: false },
      { lineId: 'DOC-2', documentKind: '009', status: '07', fetchedByLender: true, extra: { Omschrijving: 'Werkgeversverklaring, getekend' } },
      { lineId: 'M-503', documentKind: '777', status: '06', fetchedByLender: false },
    ]);
    expect(da.codes).toEqual([{ field: 'lines[3].documentKind', element: 'DA/Document[3]/SoortDocument', list: 'documentKind', code: '777', status: 'unknown' }]);
  });
});

describe('status codes: known, unknown, unverified, enabled', () => {
  it.each([
    { code: '09', options: {}, status: { code: '09', status: 'known', meaning: 'receipt confirmed', category: 'new', rank: 1 }, recorded: undefined },
    { code: '20', options: {}, status: { code: '20', status: 'known', meaning: 'loan in servicing', category: 'running', rank: 9, terminal: true }, recorded: undefined },
    { code: '11', options: {}, status: { code: '11', status: 'known', meaning: 'rejected', category: 'ended', terminal: true }, recorded: undefined },
    { code: '40', options: {}, status: { code: '40', status: 'known', meaning: 'changed application submitted', category: 'new' }, recorded: undefined },
    { code: '77', options: {}, status: { code: '77', status: 'unknown' }, recorded: 'unknown' },
    { code: '31', options: {}, status: { code: '31', status: 'unverified', meaning: 'dossier sent to notary', category: 'running' }, recorded: 'unverified' },
    { code: '81', options: {}, status: { code: '81', status: 'known', meaning: 'authorisation status' }, recorded: undefined },
    {
      code: '31',
      options: { enabledUnverifiedCodes: { sxStatus: ['31'] } },
      status: { code: '31', status: 'known', meaning: 'dossier sent to notary', category: 'running' },
      recorded: undefined,
    },
  ])('$code with $options', ({ code, options, status, recorded }) => {
    const result = publicResult(sxWithStatus(code), options);
    expect(result.view.type === 'SX' ? result.view.status : undefined).toEqual(status);
    const message = result.message as HdnStatus;
    // The code is kept as sent whatever the list says.
    expect(message.statusCode).toBe(code);
    expect(message.codes).toEqual(
      recorded === undefined
        ? undefined
        : [{ field: 'statusCode', element: 'SX/Status/AXBerichtStatusSpecificatie/StatusAXBericht', list: 'sxStatus', code, status: recorded }],
    );
  });
});

describe('legacy <HDN> messages go to today codec unchanged', () => {
  const files = readdirSync(legacyDir).filter((f) => f.endsWith('.xml'));

  it('has fixtures of every type', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  it.each(files)('%s', (file) => {
    const xml = readFileSync(join(legacyDir, file), 'utf8');
    const today = parseHdn(xml);
    expect(readHdnMessage(xml)).toEqual(today);
    expect(readHdnMessage(new TextEncoder().encode(xml))).toEqual(today);
    expect(readHdnMessageDetailed(xml).shape).toBe('legacy');
    // A comment before the root (not skipped by the pre-scan's fast path) still reaches the codec.
    const commented = xml.replace(/^(<\?xml[^>]*\?>)/, `$1\n<!-- ${'x'.repeat(5000)} -->`);
    expect(readHdnMessage(commented)).toEqual(today);
  });

  it('keeps the codec refusals (legacy limits and paths)', () => {
    const xml = readFileSync(join(legacyDir, 'sx-22.xml'), 'utf8').replace('<StatusCode>22</StatusCode>', '<StatusCode>2</StatusCode>');
    const today = hdnError(() => parseHdn(xml));
    const now = hdnError(() => readHdnMessage(xml));
    expect([now.type, now.element, now.message]).toEqual([today.type, today.element, today.message]);
    expect(hdnError(() => readHdnMessage(readFileSync(join(legacyDir, 'sx-22.xml')), { maxBytes: 100 })).type).toBe(HdnErrorType.TooLarge);
  });
});

describe('version choice', () => {
  it('reads the test-only 99.0 data file through the entry point: renamed element, new code', () => {
    const result = publicResult(publicFixture('sx-99.xml'), { mappingDir: publicDir });
    expect([result.hdnVersion, result.exactVersion]).toEqual(['99.0', true]);
    expect(result.view.type === 'SX' ? result.view.status : undefined).toEqual({ code: '99', status: 'known', meaning: 'synthetic test status', category: 'new' });
    expect((result.message as HdnStatus).codes).toBeUndefined();
  });

  it('a newer version than any file is read with the newest and exact=false; here 24.0 cannot find the renamed element', () => {
    const error = hdnError(() => readHdnMessage(publicFixture('sx-99.xml')));
    expect([error.type, error.element]).toEqual([HdnErrorType.Invalid, 'SX/Status/AXBerichtStatusSpecificatie/StatusAXBericht']);
    const newer = publicResult(sx24.replace('<BerichtVersie>24.0</BerichtVersie>', '<BerichtVersie>25.1</BerichtVersie>'));
    expect([newer.hdnVersion, newer.exactVersion, newer.message.header.messageVersion]).toEqual(['24.0', false, '25.1']);
  });

  it.each([
    { what: 'older version without a file', xml: sx24.replace('<BerichtVersie>24.0</BerichtVersie>', '<BerichtVersie>20.0</BerichtVersie>'), element: 'SX/Header/BerichtVersie' },
    { what: 'version not like 24.0', xml: sx24.replace('<BerichtVersie>24.0</BerichtVersie>', '<BerichtVersie>x</BerichtVersie>'), element: 'SX/Header/BerichtVersie' },
    { what: 'no version', xml: sx24.replace('<BerichtVersie>24.0</BerichtVersie>', ''), element: 'SX/Header/BerichtVersie' },
    { what: 'BerichtSoort disagrees with the root', xml: sx24.replace('<BerichtSoort>SX</BerichtSoort>', '<BerichtSoort>OX</BerichtSoort>'), element: 'SX/Header/BerichtSoort' },
    { what: 'unknown root', xml: sx24.replaceAll('<SX>', '<ZX>').replace('</SX>', '</ZX>'), element: 'ZX' },
    { what: 'public-shape DX without SoortDocument', xml: sx24.replace('<SX>', '<DX>').replace('</SX>', '<PrintDoc><EncodedData>QQ==</EncodedData></PrintDoc></DX>').replace('<BerichtSoort>SX</BerichtSoort>', '<BerichtSoort>DX</BerichtSoort>'), element: 'DX/Document/SoortDocument' },
    {
      what: 'OX without OfferteType',
      xml: publicFixture('ox-24.xml').replace('<OfferteType>18</OfferteType>', ''),
      element: 'OX/OfferteData/OfferteType',
    },
    {
      what: 'OX loan part without DuurInMnd',
      xml: publicFixture('ox-24.xml').replace('<DuurInMnd>360</DuurInMnd>', ''),
      element: 'OX/Lening/LeningDeel[1]/DuurInMnd',
    },
    { what: 'OX amount with three decimals', xml: publicFixture('ox-24.xml').replace('1234.5<', '1234.505<'), element: 'OX/Lening/LeningDeel[2]/LeningDeelBedrag' },
    { what: 'DA line ids repeated', xml: publicFixture('da-24.xml').replace('DOC-2', 'DOC-1'), element: 'DA/Document[2]/DocumentKenmerk' },
    { what: 'DA line without status', xml: publicFixture('da-24.xml').replace('<DocumentStatus>06</DocumentStatus>', ''), element: 'DA/Document[3]/DocumentStatus' },
  ])('refuses $what', ({ xml, element }) => {
    const error = hdnError(() => readHdnMessage(xml));
    expect([error.type, error.element]).toEqual([HdnErrorType.Invalid, element]);
  });
});

describe('off thread (the API path for untrusted bodies)', () => {
  it('gives the same message for both shapes, and HdnError revived', async () => {
    const pool = new XmlParsePool({ threads: 1 });
    try {
      const legacy = readFileSync(join(legacyDir, 'sx-22.xml'), 'utf8');
      expect(await readHdnMessageOffThread(pool, legacy)).toEqual(parseHdn(legacy));
      expect(await readHdnMessageOffThread(pool, sx24)).toEqual(readHdnMessage(sx24));
      const error = await readHdnMessageOffThread(pool, sxWithStatus('')).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(HdnError);
      expect((error as HdnError).element).toBe('SX/Status/AXBerichtStatusSpecificatie/StatusAXBericht');
    } finally {
      await pool.close();
    }
  });
});

describe("the office's enabled unverified codes (HDN_ENABLED_UNVERIFIED_CODES)", () => {
  it('reach the pool thread: 31 recorded without them, not with them', async () => {
    const pool = new XmlParsePool({ threads: 1 });
    try {
      const sx31 = sxWithStatus('31');
      expect(((await readHdnMessageOffThread(pool, sx31)) as HdnStatus).codes?.map((c) => c.status)).toEqual(['unverified']);
      const enabled = (await readHdnMessageOffThread(pool, sx31, undefined, { enabledUnverifiedCodes: { sxStatus: ['31'] } })) as HdnStatus;
      expect(enabled.statusCode).toBe('31');
      expect(enabled.codes).toBeUndefined();
    } finally {
      await pool.close();
    }
  });

  it('are checked against every data file at start-up: a code that is not unverified there is a configuration error', () => {
    expect(() => checkHdnReadOptions({ enabledUnverifiedCodes: { sxStatus: ['31'], documentStatus: ['01', '08'] } })).not.toThrow();
    expect(() => checkHdnReadOptions()).not.toThrow();
    expect(() => checkHdnReadOptions({ enabledUnverifiedCodes: { sxStatus: ['22'] } })).toThrow(HdnMappingError);
    expect(() => checkHdnReadOptions({ enabledUnverifiedCodes: { sxStatus: ['77'] } })).toThrow(/names "77", which is not in \/codeLists\/sxStatus/);
    expect(() => checkHdnReadOptions({ enabledUnverifiedCodes: { nope: ['31'] } })).toThrow(HdnMappingError);
  });
});

describe('a data file the typed view cannot use is a configuration error, not a message error', () => {
  /** 24.0.json with one change, in a folder of its own. */
  function dirWith(change: (data: { messages: { SX: { fields: Record<string, Record<string, unknown>> } } }) => void): string {
    const data = JSON.parse(readFileSync(join(here, 'mapping', 'versions', '24.0.json'), 'utf8')) as Parameters<typeof change>[0];
    change(data);
    const dir = mkdtempSync(join(tmpdir(), 'hdn-map-'));
    writeFileSync(join(dir, '24.0.json'), JSON.stringify(data));
    return dir;
  }

  it.each([
    {
      what: 'statusCode without a code list',
      dir: () => dirWith((d) => {
        d.messages.SX.fields.statusCode = { path: 'Status/AXBerichtStatusSpecificatie/StatusAXBericht', kind: 'text', required: true };
      }),
      problem: '/messages/SX/fields/statusCode must be a mapped code field',
      xml: sx24,
    },
    {
      what: 'statusDate read as an integer',
      dir: () => dirWith((d) => {
        d.messages.SX.fields.statusDate = { path: 'Status/AXBerichtStatusSpecificatie/StatusDt', kind: 'integer' };
      }),
      problem: '/messages/SX/fields/statusDate must be of a kind that reads as text',
      xml: sx24.replace('<StatusDt>2026-03-02</StatusDt>', '<StatusDt>20260302</StatusDt>'),
    },
  ])('$what', ({ dir, problem, xml }) => {
    let error: unknown;
    try {
      readHdnMessage(xml, undefined, { mappingDir: dir() });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HdnMappingError);
    expect((error as HdnMappingError).message).toContain(problem);
  });
});
