/**
 * Property tests of the camt parser: corrupted statements never crash or hang and fail only with
 * a SepaError (the import then books nothing); every amount parsed is whole cents.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCamt } from '../../integrations/sepa/camt.js';
import { SepaError } from '../../integrations/sepa/types.js';
import { applyEdits, edits } from './mutate.js';

const fixtureDir = new URL('../../integrations/sepa/fixtures/', import.meta.url);
const statements = readdirSync(fixtureDir)
  .filter((f) => f.startsWith('camt') && f.endsWith('.xml') && !f.includes('malformed'))
  .map((f) => readFileSync(new URL(f, fixtureDir), 'utf8'));

function check(xml: string | Uint8Array): void {
  try {
    const statement = parseCamt(xml);
    for (const entry of statement.entries) {
      expect(Number.isSafeInteger(entry.amountCents)).toBe(true);
      for (const tx of entry.transactions) if (tx.amountCents !== undefined) expect(Number.isSafeInteger(tx.amountCents)).toBe(true);
    }
  } catch (err) {
    if (!(err instanceof SepaError)) throw err;
    expect(err.message.length).toBeGreaterThan(0);
  }
}

describe('camt parser under fuzzing', () => {
  it('has fixtures to mutate', () => {
    expect(statements.length).toBeGreaterThanOrEqual(2);
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
    const base = statements[0]!;
    fc.assert(
      fc.property(fc.oneof(fc.stringMatching(/^-?[0-9]{0,12}([.,][0-9]{0,4})?$/), fc.string({ maxLength: 12 })), (amount) => {
        check(base.replace(/(<Amt Ccy="EUR">)[^<]*(<\/Amt>)/, `$1${amount}$2`));
      }),
      { numRuns: 500 },
    );
  });
});
