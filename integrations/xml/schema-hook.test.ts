import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { XmlParsePool } from './pool.js';
import { xsdHookFromSettings, xsdVerdict } from './schema-hook.js';
import type { XsdValidationResult } from './schema-validation.js';

/** Synthetic schemas and messages (fixtures/xsd: message.xsd imports types.xsd). */
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const xsdDir = path.join(fixtures, 'xsd');
const validXml = readFileSync(path.join(fixtures, 'xsd-valid.xml'));
const invalidXml = readFileSync(path.join(fixtures, 'xsd-invalid.xml'), 'utf8');

const pool = new XmlParsePool({ threads: 1, timeoutMs: 3000 });
afterAll(() => pool.close());

describe('xsdHookFromSettings', () => {
  it('validates nothing when no folder is set', () => {
    expect(xsdHookFromSettings({}, pool)).toEqual({});
  });

  it.each([
    ['in a pool thread', pool],
    ['in line (no pool)', undefined],
  ])('validates HDN and AFD messages against their own folders %s', async (_, withPool) => {
    const hook = xsdHookFromSettings({ xsdDirHdn: xsdDir, xsdDirAfd: xsdDir }, withPool, { hdn: { limits: { maxBytes: 200 } } });
    expect(await hook.afd?.validate(validXml)).toMatchObject({ status: 'valid', schema: 'message.xsd' });
    // The codec's limits apply: the HDN side was given maxBytes 200, and its label names it.
    expect(await hook.hdn?.validate(validXml)).toMatchObject({ status: 'invalid', issues: [{ message: expect.stringMatching(/^HDN message is \d+ bytes, more than the limit of 200 bytes/) }] });
    const invalid = await hook.afd?.validate(invalidXml);
    expect(invalid).toMatchObject({ status: 'invalid', schema: 'message.xsd' });
    expect(await hook.afd?.describe()).toMatchObject({ dir: xsdDir, problems: [], schemas: [{ file: 'message.xsd', compiled: true }, { file: 'types.xsd', compiled: true }] });
  });
});

describe('xsdVerdict', () => {
  const root = { localName: 'Bericht', namespace: '' };
  it.each<[string, XsdValidationResult | undefined, ReturnType<typeof xsdVerdict>]>([
    ['no folder', undefined, { action: 'pass' }],
    ['valid', { status: 'valid', schema: 'a.xsd', root }, { action: 'pass' }],
    ['no schema for the root', { status: 'unchecked', root, reason: 'No schema in /x declares the root element {}Bericht' }, { action: 'pass', note: 'Not checked against the XSDs: No schema in /x declares the root element {}Bericht' }],
    [
      'invalid',
      { status: 'invalid', schema: 'a.xsd', root, issues: [{ line: 3, message: "Element 'X': This element is not expected." }, { line: 4, column: 2, message: 'Bad' }], more: 2 },
      { action: 'park', reason: "Fails XSD validation against a.xsd: line 3: Element 'X': This element is not expected. | line 4:2: Bad (+2 more)" },
    ],
  ])('%s', (_, result, verdict) => {
    expect(xsdVerdict(result)).toEqual(verdict);
  });
});
