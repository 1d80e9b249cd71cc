/**
 * Property tests of the camt and pain.002 parsers: corrupted files never crash or hang and fail
 * only with a SepaError (the import then books nothing); every amount parsed is whole cents, and
 * a batch (NtryDtls/Btch) covers TxDtls that exist.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCamtStatements } from '../../integrations/sepa/camt.js';
import { parsePain002 } from '../../integrations/sepa/pain002.js';
import { SepaError } from '../../integrations/sepa/types.js';
import { applyEdits, edits } from './mutate.js';

const fixtureDir = new URL('../../integrations/sepa/fixtures/', import.meta.url);
const fixtures = (prefix: string) =>
  readdirSync(fixtureDir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.xml') && !f.includes('malformed'))
    .map((f) => readFileSync(new URL(f, fixtureDir), 'utf8'));
// Every camt fixture: per transaction, batch only, batch with TxDtls, several Stmt and Ntfctn.
const statements = fixtures('camt');
const reports = fixtures('pain002');

function check(xml: string | Uint8Array): void {
  try {
    for (const statement of parseCamtStatements(xml)) {
      for (const entry of statement.entries) {
        expect(Number.isSafeInteger(entry.amountCents)).toBe(true);
        for (const tx of entry.transactions) if (tx.amountCents !== undefined) expect(Number.isSafeInteger(tx.amountCents)).toBe(true);
        for (const batch of entry.batches ?? []) {
          if (batch.totalCents !== undefined) expect(Number.isSafeInteger(batch.totalCents)).toBe(true);
          expect(batch.firstTransaction + batch.transactionCount).toBeLessThanOrEqual(entry.transactions.length);
        }
      }
    }
  } catch (err) {
    if (!(err instanceof SepaError)) throw err;
    expect(err.message.length).toBeGreaterThan(0);
  }
}

describe('camt parser under fuzzing', () => {
  it('has fixtures to mutate', () => {
    expect(statements.length).toBeGreaterThanOrEqual(7);
  });

  it('fails only with a SepaError on corrupted statements', () => {
    fc.assert(
      fc.property(fc.constantFrom(...statements), edits, (xml, list) => {
        check(applyEdits(xml, list));
      }),
      { numRuns: 1500 },
    );
  });

  it('fails only with a SepaError on arbitrary text and bytes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 400 }), fc.uint8Array({ maxLength: 400 })), (input) => {
        check(input);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses or parses exactly any decimal amount put into a statement', () => {
    // The fixture this property always used (the first fixture before the batch shapes were added).
    const base = readFileSync(new URL('camt053-collections.xml', fixtureDir), 'utf8');
    fc.assert(
      fc.property(fc.oneof(fc.stringMatching(/^-?[0-9]{0,12}([.,][0-9]{0,4})?$/), fc.string({ maxLength: 12 })), (amount) => {
        check(base.replace(/(<Amt Ccy="EUR">)[^<]*(<\/Amt>)/, `$1${amount}$2`));
      }),
      { numRuns: 500 },
    );
  });
});

function checkReport(xml: string | Uint8Array): void {
  try {
    const report = parsePain002(xml);
    for (const pi of report.paymentInfos) {
      if (pi.controlSumCents !== undefined) expect(Number.isSafeInteger(pi.controlSumCents)).toBe(true);
      for (const tx of pi.transactions) {
        if (tx.amountCents !== undefined) expect(Number.isSafeInteger(tx.amountCents)).toBe(true);
        expect(tx.endToEndId !== undefined || tx.instructionId !== undefined).toBe(true);
      }
    }
  } catch (err) {
    if (!(err instanceof SepaError)) throw err;
    expect(err.message.length).toBeGreaterThan(0);
  }
}

describe('pain.002 parser under fuzzing', () => {
  it('has fixtures to mutate', () => {
    expect(reports.length).toBeGreaterThanOrEqual(3);
  });

  it('fails only with a SepaError on corrupted status reports', () => {
    fc.assert(
      fc.property(fc.constantFrom(...reports), edits, (xml, list) => {
        checkReport(applyEdits(xml, list));
      }),
      { numRuns: 1000 },
    );
  });

  it('fails only with a SepaError on arbitrary text and bytes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 400 }), fc.uint8Array({ maxLength: 400 })), (input) => {
        checkReport(input);
      }),
      { numRuns: 500 },
    );
  });
});
