/**
 * Property tests of what we send in the public shape (AX, DX): generated domain messages
 * round-trip through buildPublicHdn -> XML text -> readHdnMessage (escaping, cents <-> decimal
 * euros, codes, position order), and corrupted public AX/DX fixtures fail only with an HdnError
 * (readHdnMessage translates parser errors). Synthetic data only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEdits, edits } from '../../test/fuzz/mutate.js';
import { readHdnMessage } from './read.js';
import { HdnError, type HdnApplicant, type HdnApplication, type HdnDocumentDelivery, type HdnHeader, type HdnLoanPart } from './types.js';
import { buildPublicHdn } from './write.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'mapping', 'test-fixtures', name), 'utf8');

// Printable text without surrounding whitespace (the reader trims, as HDN text has no meaningful edges).
const text = fc.string({ minLength: 1, maxLength: 30, unit: fc.constantFrom(...'aZ09 &<>"\'éß-./'.split('')) }).map((s) => s.trim()).filter((s) => s !== '');
const date = fc.date({ min: new Date('1930-01-01'), max: new Date('2090-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const cents = fc.integer({ min: 0, max: 99_999_999_99 });

function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const header = (type: 'AX' | 'DX'): HdnHeader => ({
  senderNode: 'DFL001',
  receiverNode: 'LND777',
  senderName: 'dossierflow',
  receiverName: 'Testbank & Zn',
  messageType: type,
  messageVersion: '24.0',
  receiverCode: 'TB',
  sentDate: '2026-12-06',
  sentTime: '15:00:00',
  packageName: 'dossierflow',
  packageVersion: '0.1.0',
  applicationNumber: '000123',
  applicationVersion: '1',
});

const applicant = fc
  .record({
    firstName: text,
    infix: opt(text),
    lastName: text,
    birthDate: date,
    email: opt(text),
    street: opt(text),
    houseNumber: opt(fc.integer({ min: 0, max: 99999 })),
    postcode: opt(text),
    city: opt(text),
  })
  .map((a) => compact(a));

const loanPart = fc
  .record({
    repaymentType: fc.constantFrom('01', '02', '05'),
    amountCents: cents,
    durationMonths: fc.integer({ min: 1, max: 600 }),
    fixedRateMonths: opt(fc.integer({ min: 0, max: 600 })),
    interestRate: opt(fc.stringMatching(/^[0-9]{1,2}\.[0-9]{1,3}$/)),
  })
  .map((p) => compact(p));

const application = fc
  .record({
    applicants: fc.array(applicant, { minLength: 1, maxLength: 3 }),
    loanParts: fc.array(loanPart, { minLength: 1, maxLength: 4 }),
    purchasePriceCents: opt(cents),
    nhg: opt(fc.boolean()),
    financingConditionDate: opt(date),
  })
  .map(
    ({ applicants, loanParts, purchasePriceCents, nhg, financingConditionDate }): HdnApplication =>
      compact({
        type: 'AX' as const,
        header: header('AX'),
        applicants: applicants.map((a, i) => ({ ...a, position: i + 1 }) as HdnApplicant),
        loanParts: loanParts.map((p, i) => ({ ...p, number: String(i + 1) }) as HdnLoanPart),
        property: purchasePriceCents === undefined ? undefined : { purchasePriceCents },
        nhg,
        financingConditionDate,
      }),
  );

describe('public AX/DX under generated input', () => {
  it('round-trips generated applications through XML text', () => {
    fc.assert(
      fc.property(application, (ax) => {
        expect(readHdnMessage(buildPublicHdn(ax))).toStrictEqual(ax);
      }),
      { numRuns: 200 },
    );
  });

  it('round-trips generated document deliveries (any base64 content, names with XML characters)', () => {
    fc.assert(
      fc.property(text, fc.constantFrom('003', '009'), text, fc.uint8Array({ maxLength: 300 }), (lineId, documentKind, filename, bytes) => {
        const dx: HdnDocumentDelivery = {
          type: 'DX',
          header: header('DX'),
          lineId,
          documentKind,
          attachment: { filename, contentType: 'application/pdf', contentBase64: Buffer.from(bytes).toString('base64') },
        };
        // Empty content is no file: the writer refuses it (EncodedData is required).
        if (bytes.length === 0) expect(() => buildPublicHdn(dx)).toThrow(HdnError);
        else expect(readHdnMessage(buildPublicHdn(dx))).toStrictEqual(dx);
      }),
      { numRuns: 200 },
    );
  });

  it.each(['ax-24.xml', 'dx-24.xml'])('fails only with an HdnError on a corrupted %s', (name) => {
    const xml = fixture(name);
    fc.assert(
      fc.property(edits, (list) => {
        try {
          readHdnMessage(applyEdits(xml, list));
        } catch (error) {
          expect(error).toBeInstanceOf(HdnError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
