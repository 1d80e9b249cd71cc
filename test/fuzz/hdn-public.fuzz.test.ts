/**
 * Property tests of the HDN read entry point on the public shapes (issue 17: "the fuzz tests run
 * on the new codecs"): `readHdnMessage` on corrupted SX/OX/DA fixtures (and the old <HDN> ones,
 * since it dispatches on the root) fails only with an HdnError (or the XML reader's XmlError),
 * never anything else; what it still reads survives write -> read; generated valid SX, OX and DA
 * written through the mapping (writeMappedMessage) read back to the values they were made from.
 * Seeded, so every run sends the same inputs. All fixtures are SYNTHETIC (each says so).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadHdnMapping, writeMappedMessage, type MappedFields, type MappedGroupItem, type MappedMessage, type MappedValue } from '../../integrations/hdn/mapping/index.js';
import { readHdnMessage, readHdnMessageDetailed, type HdnReadOptions } from '../../integrations/hdn/read.js';
import { HdnError, type HdnDocumentRequest, type HdnMessage, type HdnOffer, type HdnStatus } from '../../integrations/hdn/types.js';
import { XmlError } from '../../integrations/xml/index.js';
import { rewriteHdn } from '../contract/runner.js';
import { hdnXmlText } from '../../integrations/hdn/xml-fields.js';
import { corruptedFrom } from './mutate.js';

const repo = join(import.meta.dirname, '..', '..');
const mappingFixtures = join(repo, 'integrations/hdn/mapping/test-fixtures');
const legacyFixtures = join(repo, 'integrations/hdn/fixtures');
const read = (dir: string, names: string[]) => names.map((n) => readFileSync(join(dir, n), 'utf8'));
const publicFixtures = read(mappingFixtures, ['sx-24.xml', 'ox-24.xml', 'da-24.xml']);
const legacy = read(legacyFixtures, readdirSync(legacyFixtures).filter((f) => f.endsWith('.xml')).sort());
/** The test-only data-file folder (99.0 renames one element and adds a status code). */
const v99: HdnReadOptions = { mappingDir: mappingFixtures };
const v24 = loadHdnMapping('24.0');

/** Reads, and says how it ended; anything but a message, an HdnError or an XmlError fails the property. */
function outcome(xml: string | Uint8Array, options?: HdnReadOptions): HdnMessage | 'refused' {
  try {
    return readHdnMessage(xml, undefined, options);
  } catch (error) {
    if (error instanceof HdnError || error instanceof XmlError) {
      expect(error.message.length).toBeGreaterThan(0);
      return 'refused';
    }
    throw error;
  }
}

/** A read message written back by our writer for its shape and read again: the same message. */
function expectRoundTrip(xml: string, options?: HdnReadOptions): void {
  const first = readHdnMessageDetailed(xml, undefined, options);
  const again = readHdnMessage(rewriteHdn(xml, first, options), undefined, options);
  expect(JSON.parse(JSON.stringify(again))).toStrictEqual(JSON.parse(JSON.stringify(first.message)));
}

describe('readHdnMessage under corrupted input', () => {
  it('fails only with an HdnError/XmlError on corrupted public SX, OX, DA and legacy fixtures', () => {
    fc.assert(
      fc.property(corruptedFrom([...publicFixtures, ...legacy]), (xml) => {
        outcome(xml);
      }),
      { seed: 17_0601, numRuns: 2000 },
    );
  });

  it('fails only with an HdnError/XmlError under another data-file folder (99.0 and the 24.0 fixtures)', () => {
    const sx99 = readFileSync(join(mappingFixtures, 'sx-99.xml'), 'utf8');
    fc.assert(
      fc.property(corruptedFrom([sx99, ...publicFixtures]), (xml) => {
        outcome(xml, v99);
      }),
      { seed: 17_0602, numRuns: 500 },
    );
  });

  it('fails only with an HdnError/XmlError on random text after a public-looking start, and on random bytes', () => {
    const start = fc.constantFrom('', '<SX>', '<OX><Header><BerichtVersie>24.0</BerichtVersie></Header>', '<DA><Header><BerichtVersie>', '\uFEFF<?xml version="1.0"?><!-- c --><HDN>', '<AX>', '<DX>');
    fc.assert(
      fc.property(start, fc.oneof(fc.string({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 })), (head, tail) => {
        outcome(typeof tail === 'string' ? head + tail : Buffer.concat([Buffer.from(head), tail]));
      }),
      { seed: 17_0603, numRuns: 1500 },
    );
  });

  it('round-trips what it still reads of a corrupted fixture: read -> write (mapping or legacy codec) -> read is the same message', () => {
    let reads = 0;
    fc.assert(
      fc.property(corruptedFrom([...publicFixtures, ...legacy]), (xml) => {
        if (outcome(xml) === 'refused') return;
        reads++;
        expectRoundTrip(xml);
      }),
      { seed: 17_0604, numRuns: 1000 },
    );
    // The property must not be vacuous: a fair share of the corrupted fixtures is still read.
    expect(reads).toBeGreaterThan(100);
  });
});

// ---------------------------------------------------------------------------------------------
// Generated valid messages
// ---------------------------------------------------------------------------------------------

// Free text as XML carries it and the reader keeps it: no control characters, no lone surrogates,
// no surrounding whitespace (the reader trims), XML's special characters included.
const printable = (ch: string): boolean => {
  const c = ch.codePointAt(0) ?? 0;
  return c >= 0x20 && !(c >= 0x7f && c <= 0x9f) && !(c >= 0xd800 && c <= 0xdfff) && c !== 0xfffe && c !== 0xffff;
};
const text = fc
  .oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ minLength: 1, maxLength: 20, unit: fc.constantFrom(...'aZ09 &<>"\'é-./;'.split('')) }))
  .map((s) => [...s].map((ch) => (printable(ch) ? ch : 'x')).join('').trim())
  .filter((s) => s.length > 0);
const date = fc.date({ min: new Date('1990-01-01'), max: new Date('2090-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const time = fc.tuple(fc.nat(23), fc.nat(59), fc.nat(59)).map((t) => t.map((n) => String(n).padStart(2, '0')).join(':'));
/** A code from the version's list (known or unverified), or one it does not know. */
const code = (list: string, unknown: fc.Arbitrary<string>) => fc.oneof(fc.constantFrom(...(v24.data.codeLists[list]?.codes ?? []).map((c) => c.code)), unknown);
const unknownCode = (list: string) => (c: string) => v24.code(list, c).status !== 'known';
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
/** Drops undefined fields (MappedFields holds only what is there). */
const present = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
type Generated = Record<string, MappedValue | undefined>;
const fieldsOf = (o: Generated): MappedFields => present(o) as MappedFields;

const header = fc.record({
  senderNode: fc.stringMatching(/^[0-9]{6}$/),
  receiverNode: fc.stringMatching(/^[0-9]{6}$/),
  senderName: text,
  receiverName: text,
  messageVersion: fc.constant('24.0'),
  receiverCode: fc.stringMatching(/^[A-Z]{3}$/),
  sentDate: date,
  sentTime: time,
  packageName: text,
  packageVersion: text,
  applicationNumber: fc.stringMatching(/^[0-9]{1,9}$/),
  applicationVersion: fc.integer({ min: 1, max: 99 }).map(String),
});
type GeneratedHeader = typeof header extends fc.Arbitrary<infer H> ? H : never;

/** Writes generated fields through the 24.0 mapping as XML text, as a lender's software would send them. */
function written(type: 'SX' | 'OX' | 'DA', h: GeneratedHeader, fields: Generated, groups: Record<string, MappedGroupItem[]> = {}): string {
  const message: MappedMessage = { type, version: '24.0', header: { ...h, messageType: type }, fields: fieldsOf(fields), groups, codes: [] };
  return hdnXmlText(writeMappedMessage(v24, message));
}

describe('generated valid public messages read back to what they were made from', () => {
  it('SX: status, Kenmerk, date, time, text lines; unknown codes recorded once each', () => {
    fc.assert(
      fc.property(
        header,
        fc.record({
          statusCode: code('sxStatus', fc.stringMatching(/^[0-9]{2}$/)),
          reference: opt(text),
          statusDate: opt(date),
          statusTime: opt(time),
          statusText: opt(fc.array(text, { minLength: 1, maxLength: 3 })),
          documentNumber: opt(text),
          documentStatusCode: opt(code('sxStatus', fc.stringMatching(/^[0-9]{2}$/))),
        }),
        (h, f) => {
          const xml = written('SX', h, f);
          const m = readHdnMessage(xml) as HdnStatus;
          const { codes, ...rest } = m;
          expect(rest).toEqual(
            present({
              type: 'SX',
              header: { ...h, messageType: 'SX' },
              statusCode: f.statusCode,
              description: f.statusText?.join('\n'),
              documentReference: f.documentNumber,
              offerNumber: f.reference,
              reference: f.reference,
              statusDate: f.statusDate,
              statusTime: f.statusTime,
            }),
          );
          const unknown = [f.statusCode, f.documentStatusCode].filter((c): c is string => c !== undefined).filter(unknownCode('sxStatus'));
          expect((codes ?? []).map((c) => c.code)).toEqual(unknown);
          expectRoundTrip(xml);
        },
      ),
      { seed: 17_0611, numRuns: 300 },
    );
  });

  it('OX: decimal euro amounts to cents, JN booleans, dates, codes, print documents', () => {
    const part = fc.record({
      amountCents: fc.integer({ min: 0, max: 99_999_999_999 }),
      durationMonths: fc.integer({ min: 1, max: 600 }),
      fixedRateMonths: opt(fc.integer({ min: 0, max: 600 })),
      repaymentType: code('repaymentType', fc.stringMatching(/^[0-9]{2}$/)),
    });
    fc.assert(
      fc.property(
        header,
        fc.record({
          offerNumber: text,
          offerType: code('offerType', fc.stringMatching(/^[0-9]{2}$/)),
          acceptanceDate: opt(date),
          validityDate: opt(date),
          extensionPossible: opt(fc.boolean()),
          extensionDate: opt(date),
          automaticallyExtended: opt(fc.boolean()),
          extended: opt(fc.boolean()),
          latestPassingDate: opt(date),
          latestPassingDateAfterExtension: opt(date),
        }),
        fc.array(part, { minLength: 1, maxLength: 4 }),
        fc.array(fc.base64String({ minLength: 4, maxLength: 120 }).filter((s) => s.length > 0), { maxLength: 2 }),
        (h, f, parts, documents) => {
          const groups: Record<string, MappedGroupItem[]> = { loanParts: parts.map((p) => ({ fields: fieldsOf(p) })) };
          if (documents.length > 0) groups.attachments = documents.map((d) => ({ fields: { contentBase64: d } }));
          const xml = written('OX', h, f, groups);
          const m = readHdnMessage(xml) as HdnOffer;
          expect(m.type).toBe('OX');
          expect(m.header).toEqual({ ...h, messageType: 'OX' });
          const { latestPassingDate, ...others } = f;
          expect(m).toMatchObject(present({ ...others, latestPassingDateBeforeExtension: latestPassingDate }));
          expect(m.loanParts.map(({ amountCents, durationMonths, fixedRateMonths, repaymentType }) => present({ amountCents, durationMonths, fixedRateMonths, repaymentType }))).toEqual(
            parts.map((p) => present(p)),
          );
          expect(m.attachments.map((a) => a.contentBase64)).toEqual(documents);
          const unknown = [f.offerType, ...parts.map((p) => p.repaymentType)].filter((c, i) => unknownCode(i === 0 ? 'offerType' : 'repaymentType')(c));
          expect((m.codes ?? []).map((c) => c.code)).toEqual(unknown);
          expectRoundTrip(xml);
        },
      ),
      { seed: 17_0612, numRuns: 300 },
    );
  });

  it('DA: document lines with DocumentKenmerk or DocumentMijNr, kind and status codes, OpgevraagdViaBronJN', () => {
    const line = fc
      .record({
        reference: opt(text),
        lenderNumber: opt(text),
        documentKind: code('documentKind', fc.stringMatching(/^[0-9]{3}$/)),
        status: code('documentStatus', fc.stringMatching(/^[0-9]{2}$/)),
        fetchedByLender: opt(fc.boolean()),
      })
      .filter((l) => l.reference !== undefined || l.lenderNumber !== undefined);
    fc.assert(
      fc.property(header, fc.uniqueArray(line, { minLength: 1, maxLength: 5, selector: (l) => l.reference ?? l.lenderNumber }), (h, lines) => {
        const xml = written('DA', h, {}, { lines: lines.map((l) => ({ fields: fieldsOf(l) })) });
        const m = readHdnMessage(xml) as HdnDocumentRequest;
        expect(m.type).toBe('DA');
        expect(m.header).toEqual({ ...h, messageType: 'DA' });
        expect(m.lines.map(({ lineId, documentKind, status, fetchedByLender }) => ({ lineId, documentKind, status, fetchedByLender }))).toEqual(
          lines.map((l) => ({ lineId: l.reference ?? l.lenderNumber, documentKind: l.documentKind, status: l.status, fetchedByLender: l.fetchedByLender ?? false })),
        );
        const unknown = lines.flatMap((l) => [
          ...(unknownCode('documentKind')(l.documentKind) ? [l.documentKind] : []),
          ...(unknownCode('documentStatus')(l.status) ? [l.status] : []),
        ]);
        expect((m.codes ?? []).map((c) => c.code)).toEqual(unknown);
        expectRoundTrip(xml);
      }),
      { seed: 17_0613, numRuns: 300 },
    );
  });
});
