/**
 * Property tests of the HDN codec: corrupted and random input never crashes or hangs and fails
 * only with an HdnError; generated valid messages round-trip exactly.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildHdn, parseHdn } from '../../integrations/hdn/codec.js';
import { HdnError, type HdnMessage, type HdnStatus } from '../../integrations/hdn/types.js';
import { applyEdits, edits } from './mutate.js';

const fixtureDir = new URL('../../integrations/hdn/fixtures/', import.meta.url);
const fixtures = readdirSync(fixtureDir).filter((f) => f.endsWith('.xml')).map((f) => readFileSync(new URL(f, fixtureDir), 'utf8'));

/** Parses, and says how it ended; anything but a message or an HdnError fails the property. */
function outcome(xml: string | Uint8Array): 'parsed' | 'refused' {
  try {
    parseHdn(xml);
    return 'parsed';
  } catch (err) {
    if (err instanceof HdnError) {
      expect(err.message.length).toBeGreaterThan(0);
      return 'refused';
    }
    throw err;
  }
}

describe('HDN codec under fuzzing', () => {
  it('fails only with an HdnError on corrupted fixtures', () => {
    fc.assert(
      fc.property(fc.constantFrom(...fixtures), edits, (fixture, list) => {
        outcome(applyEdits(fixture, list));
      }),
      { numRuns: 1500 },
    );
  });

  it('fails only with an HdnError on arbitrary text and bytes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 400 }), fc.uint8Array({ maxLength: 400 })), (input) => {
        outcome(input);
      }),
      { numRuns: 1500 },
    );
  });

  it('round-trips every parsed corrupted fixture: build(parse(x)) parses to the same message', () => {
    fc.assert(
      fc.property(fc.constantFrom(...fixtures), edits, (fixture, list) => {
        let message: HdnMessage;
        try {
          message = parseHdn(applyEdits(fixture, list));
        } catch (err) {
          if (err instanceof HdnError) return;
          throw err;
        }
        expect(parseHdn(buildHdn(message))).toStrictEqual(message);
      }),
      { numRuns: 800 },
    );
  });

  const digits = (n: number) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`));
  // Free text as XML can carry it: no control characters, no lone surrogates.
  const printable = (ch: string): boolean => {
    const c = ch.charCodeAt(0);
    return c >= 0x20 && !(c >= 0x7f && c <= 0x9f) && !(c >= 0xd800 && c <= 0xdfff) && c !== 0xfffe && c !== 0xffff;
  };
  const text = fc
    .string({ minLength: 1, maxLength: 60 })
    .map((s) => [...s].map((ch) => (printable(ch) ? ch : 'x')).join('').trim())
    .filter((s) => s.length > 0);
  const status: fc.Arbitrary<HdnStatus> = fc.record({
    type: fc.constant('SX' as const),
    header: fc.record({
      senderNode: fc.stringMatching(/^[A-Z0-9]{6}$/),
      receiverNode: fc.stringMatching(/^[A-Z0-9]{6}$/),
      messageType: fc.constant('SX' as const),
      messageVersion: fc.constantFrom('23.0', '24.0', '25.1'),
      sentDate: fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
      sentTime: fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 })).map((t) => t.map((n) => String(n).padStart(2, '0')).join(':')),
      applicationNumber: digits(9),
      applicationVersion: fc.integer({ min: 1, max: 99 }).map(String),
    }),
    statusCode: digits(2),
  }).chain((m) =>
    fc.record({ description: fc.option(text, { nil: undefined }), remark: fc.option(text, { nil: undefined }) }).map((extra) => {
      const out: HdnStatus = { ...m };
      if (extra.description !== undefined) out.description = extra.description;
      if (extra.remark !== undefined) out.remark = extra.remark;
      return out;
    }),
  );

  it('round-trips generated SX messages exactly (leading zeros, free text with XML characters)', () => {
    fc.assert(
      fc.property(status, (m) => {
        // (fast-check builds records without a prototype: compare as plain data.)
        expect(parseHdn(buildHdn(m))).toStrictEqual(JSON.parse(JSON.stringify(m)));
      }),
      { numRuns: 500 },
    );
  });
});
