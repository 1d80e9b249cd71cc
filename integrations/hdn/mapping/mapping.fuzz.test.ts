/**
 * Property tests of the mapping reader/writer: generated SX field values round-trip through real
 * XML text (escaping, leading zeros, amounts), and corrupted SX fixtures fail only with an
 * HdnError (never a TypeError from walking an odd tree). Synthetic data only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { XMLBuilder } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { ATTRIBUTE_PREFIX, TEXT_KEY, XmlError, parseUntrustedXml } from '../../xml/index.js';
import { HdnError } from '../types.js';
import { loadHdnMapping } from './load.js';
import { readMappedMessage, writeMappedMessage, type MappedMessage } from './tree.js';
import { applyEdits, edits } from '../../../test/fuzz/mutate.js';

const v24 = loadHdnMapping('24.0');
const sx24 = readFileSync(join(import.meta.dirname, 'test-fixtures', 'sx-24.xml'), 'utf8');
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: ATTRIBUTE_PREFIX, textNodeName: TEXT_KEY, processEntities: true, format: true });
const parse = (xml: string) => parseUntrustedXml(xml, { label: 'HDN message' }).document;

// Printable text without surrounding whitespace (the reader trims, as HDN text has no meaningful edges).
const text = fc.string({ minLength: 1, maxLength: 30, unit: fc.constantFrom(...'aZ09 &<>"\'éß-./'.split('')) }).map((s) => s.trim()).filter((s) => s !== '');
const date = fc.date({ min: new Date('1990-01-01'), max: new Date('2090-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

describe('HDN mapping under generated input', () => {
  it('round-trips generated SX fields through XML text', () => {
    const header = readMappedMessage(v24, 'SX', parse(sx24)).header;
    fc.assert(
      fc.property(
        fc.record({
          statusCode: fc.stringMatching(/^[0-9]{2}$/),
          reference: fc.option(text, { nil: undefined }),
          statusDate: fc.option(date, { nil: undefined }),
          statusText: fc.option(fc.array(text, { minLength: 1, maxLength: 3 }), { nil: undefined }),
        }),
        (fields) => {
          const compact = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as MappedMessage['fields'];
          const message: MappedMessage = { type: 'SX', version: '24.0', header, fields: compact, groups: {}, codes: [] };
          const xml = builder.build(writeMappedMessage(v24, message)) as string;
          const back = readMappedMessage(v24, 'SX', parse(xml));
          expect(back.fields).toEqual(compact);
          // Every code the list does not know is recorded, each exactly once.
          expect(back.codes.length).toBe(v24.code('sxStatus', fields.statusCode).status === 'known' ? 0 : 1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('fails only with an HdnError (or the parser\'s XmlError) on corrupted fixtures', () => {
    fc.assert(
      fc.property(edits, (list) => {
        const xml = applyEdits(sx24, list);
        let document: Record<string, unknown>;
        try {
          document = parse(xml);
        } catch (error) {
          expect(error).toBeInstanceOf(XmlError);
          return;
        }
        try {
          readMappedMessage(v24, 'SX', document);
        } catch (error) {
          expect(error).toBeInstanceOf(HdnError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
