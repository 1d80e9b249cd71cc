import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { XmlParsePool } from './pool.js';
import {
  MAX_REPORTED_ISSUES,
  REASON_CHARS,
  XsdFolderError,
  disposeXsdSet,
  loadXsdFolder,
  summarizeXsdSet,
  validateWithXsdFolder,
  validateXml,
  validateXmlOffThread,
  xsdFailureReason,
  type XsdSet,
  type XsdValidationResult,
} from './schema-validation.js';

/** Synthetic schemas and messages (fixtures/xsd: message.xsd imports types.xsd). */
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const xsdDir = path.join(fixtures, 'xsd');
const validXml = readFileSync(path.join(fixtures, 'xsd-valid.xml'));
const invalidXml = readFileSync(path.join(fixtures, 'xsd-invalid.xml'));

const NS = 'urn:dossierflow:test:message';
const XS = 'xmlns:xs="http://www.w3.org/2001/XMLSchema"';
const message = (body: string): string => `<Bericht xmlns="${NS}"><Header><VerzenderNrHDN>LND001</VerzenderNrHDN><AanvraagVersie>1</AanvraagVersie></Header>${body}</Bericht>`;
const part = (amount: string, code = '01', jn = 'N'): string => `<Leningdeel><LeningDeelBedrag>${amount}</LeningDeelBedrag><AflossingsVorm>${code}</AflossingsVorm><NHGJN>${jn}</NHGJN></Leningdeel>`;

const temps: string[] = [];
function tempFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'xsd-test-'));
  temps.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}
const sets: XsdSet[] = [];
function load(dir: string): XsdSet {
  const set = loadXsdFolder(dir);
  sets.push(set);
  return set;
}
afterAll(() => {
  for (const set of sets.splice(0)) disposeXsdSet(set);
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function issuesOf(result: XsdValidationResult): { line?: number; message: string }[] {
  if (result.status !== 'invalid') throw new Error(`expected invalid, got ${JSON.stringify(result)}`);
  return result.issues.map((i) => ({ ...(i.line !== undefined ? { line: i.line } : {}), message: i.message }));
}

describe('loadXsdFolder', () => {
  it('compiles a schema with its import and indexes the global elements by namespace', () => {
    const summary = summarizeXsdSet(load(xsdDir));
    expect(summary.problems).toEqual([]);
    expect(summary.schemas).toEqual([
      { file: 'message.xsd', targetNamespace: NS, elements: ['Bericht'], compiled: true },
      { file: 'types.xsd', targetNamespace: 'urn:dossierflow:test:types', elements: [], compiled: true },
    ]);
  });

  it.each([
    ['a missing folder', () => path.join(tmpdir(), 'no-such-xsd-folder-17'), /does not exist/],
    ['a file instead of a folder', () => path.join(xsdDir, 'types.xsd'), /is not a folder/],
  ])('refuses %s with XsdFolderError', (_, dir, words) => {
    expect(() => loadXsdFolder(dir())).toThrow(XsdFolderError);
    expect(() => loadXsdFolder(dir())).toThrow(words);
  });

  it('reports broken schemas as load problems with libxml2 words, and keeps the good ones', () => {
    const dir = tempFolder({
      'good.xsd': `<xs:schema ${XS}><xs:element name="Good" type="xs:string"/></xs:schema>`,
      'unresolved.xsd': `<xs:schema ${XS}><xs:element name="Bad" type="NoSuchType"/></xs:schema>`,
      'not-xml.xsd': `<xs:schema ${XS}><xs:element name="Half">`,
      'not-schema.xsd': '<note>not a schema</note>',
      'entities.xsd': `<!DOCTYPE xs:schema [<!ENTITY a "aaaa">]><xs:schema ${XS}/>`,
      'outside.xsd': `<xs:schema ${XS}><xs:include schemaLocation="../elsewhere.xsd"/><xs:element name="Out" type="xs:string"/></xs:schema>`,
      'remote.xsd': `<xs:schema ${XS}><xs:import namespace="urn:x" schemaLocation="https://example.invalid/x.xsd"/><xs:element name="Remote" type="xs:string"/></xs:schema>`,
    });
    const summary = summarizeXsdSet(load(dir));
    const problem = (file: string): string => summary.problems.find((p) => p.file === file)?.message ?? '(none)';
    expect(problem('unresolved.xsd')).toMatch(/does not compile: unresolved\.xsd:1: .*'NoSuchType' does not resolve to a\(n\) type definition/);
    expect(problem('not-xml.xsd')).toMatch(/^not well-formed: /);
    expect(problem('not-schema.xsd')).toBe('not an XML Schema (root element note)');
    expect(problem('entities.xsd')).toMatch(/declares entities/);
    // Includes outside the folder and remote imports are never read.
    expect(problem('outside.xsd')).toMatch(/does not compile: .*Failed to load the document .*elsewhere\.xsd/);
    expect(problem('remote.xsd')).toBe('(none)'); // a failed xs:import is only a warning in libxml2
    expect(summary.schemas.find((s) => s.file === 'good.xsd')?.compiled).toBe(true);
    expect(validateXml(load(dir), `<Good>x</Good>`)).toMatchObject({ status: 'valid', schema: 'good.xsd' });
    expect(validateXml(load(dir), `<Bad>x</Bad>`)).toMatchObject({ status: 'unchecked', reason: expect.stringMatching(/^The schema for \{\}Bad does not compile: unresolved\.xsd: /) });
  });

  it('follows includes between sub-folders of the folder (../, a %20-escaped space in a name)', () => {
    const dir = tempFolder({
      'messages/main.xsd': `<xs:schema ${XS}><xs:include schemaLocation="../common/my%20types.xsd"/><xs:element name="Main" type="Short"/></xs:schema>`,
      'common/my types.xsd': `<xs:schema ${XS}><xs:simpleType name="Short"><xs:restriction base="xs:string"><xs:maxLength value="2"/></xs:restriction></xs:simpleType></xs:schema>`,
    });
    const set = load(dir);
    expect(summarizeXsdSet(set).problems).toEqual([]);
    expect(validateXml(set, '<Main>ab</Main>')).toMatchObject({ status: 'valid', schema: 'messages/main.xsd' });
    expect(issuesOf(validateXml(set, '<Main>abc</Main>'))[0]?.message).toMatch(/maxLength/);
  });

  it('reads a remote schemaLocation from a file of the same name in the folder, never from the network', () => {
    const dir = tempFolder({
      'main.xsd': `<xs:schema ${XS} xmlns:o="urn:other"><xs:import namespace="urn:other" schemaLocation="http://example.invalid/schemas/other.xsd"/><xs:element name="Main" type="o:Short"/></xs:schema>`,
      'sub/other.xsd': `<xs:schema ${XS} targetNamespace="urn:other"><xs:simpleType name="Short"><xs:restriction base="xs:string"><xs:maxLength value="3"/></xs:restriction></xs:simpleType></xs:schema>`,
    });
    const set = load(dir);
    expect(summarizeXsdSet(set).problems).toEqual([]);
    expect(validateXml(set, '<Main>abc</Main>').status).toBe('valid');
    expect(issuesOf(validateXml(set, '<Main>abcd</Main>'))[0]?.message).toMatch(/maxLength/);
  });
});

describe('validateXml', () => {
  const set = (): XsdSet => load(xsdDir);

  it('accepts a valid message and names the schema it used', () => {
    expect(validateXml(set(), validXml)).toEqual({ status: 'valid', schema: 'message.xsd', root: { localName: 'Bericht', namespace: NS } });
  });

  it('reports each fault of an invalid message with its line and the validator words', () => {
    const result = validateXml(set(), invalidXml);
    expect(result).toMatchObject({ status: 'invalid', schema: 'message.xsd', more: 0 });
    expect(issuesOf(result)).toEqual([
      { line: 9, message: expect.stringMatching(/LeningDeelBedrag.*fractionDigits.*'250000\.005'/) },
      { line: 10, message: expect.stringMatching(/AflossingsVorm.*'annuiteit' is not accepted by the pattern '\[0-9\]\{2\}'/) },
      { line: 12, message: expect.stringMatching(/Onbekend.*This element is not expected/) },
    ]);
    expect(xsdFailureReason(result)).toMatch(/^Fails XSD validation against message\.xsd: line 9: Element .* \| line 10: .* \| line 12: /);
  });

  it.each([
    ['a type from the imported schema (Euro: negative)', message(part('-1.00')), /minInclusive/],
    ['an enumeration from the imported schema (JN)', message(part('1.00', '01', 'Y')), /'Y' is not an element of the set \{'J', 'N'\}/],
    ['a missing required element', message(''), /Missing child element\(s\)\. Expected is \( \{urn:dossierflow:test:message\}Leningdeel \)/],
    ['an element of the wrong namespace', `<Bericht xmlns="${NS}"><Header xmlns="urn:other"/></Bericht>`, /\{urn:other\}Header': This element is not expected/],
  ])('refuses %s', (_, xml, words) => {
    expect(issuesOf(validateXml(set(), xml))[0]?.message).toMatch(words);
  });

  it.each([
    ['a DOCTYPE (refused before libxml2 sees it)', `<!DOCTYPE Bericht [<!ENTITY x "y">]>${message(part('1.00'))}`, /^HDN message: <!DOCTYPE> is not allowed/],
    ['a body over maxBytes', message(part('1.00')), /^HDN message is at least \d+ bytes, more than the limit of 64 bytes/, { maxBytes: 64 }],
    ['XML that is not well-formed (libxml2 words)', `<Bericht xmlns="${NS}"><Header></Bericht>`, /^Opening and ending tag mismatch: Header line 1 and Bericht/],
    ['an undeclared entity (refused by our lexer)', `<Bericht xmlns="${NS}">&lol;</Bericht>`, /^HDN message: entity "&lol;" is not declared/],
  ])('refuses %s without a schema, with a clear message', (_, xml, words, limits?: { maxBytes: number }) => {
    const result = validateXml(set(), xml, { label: 'HDN message', ...(limits ? { limits } : {}) });
    expect(result.status).toBe('invalid');
    expect(result).not.toHaveProperty('schema');
    expect(issuesOf(result)[0]?.message).toMatch(words);
  });

  it('leaves a message whose root no schema declares unchecked, saying why', () => {
    const result = validateXml(set(), '<Contractdocument/>');
    expect(result).toEqual({ status: 'unchecked', root: { localName: 'Contractdocument', namespace: '' }, reason: `No schema in ${xsdDir} declares the root element {}Contractdocument` });
    // The right local name in another namespace is not a match either.
    expect(validateXml(set(), '<Bericht xmlns="urn:elsewhere"/>').status).toBe('unchecked');
  });

  it('keeps at most MAX_REPORTED_ISSUES issues and counts the rest; the reason is clipped', () => {
    const parts = Array.from({ length: 30 }, () => part('1.001')).join('');
    const result = validateXml(set(), message(parts));
    expect(result).toMatchObject({ status: 'invalid', more: 10 });
    expect(issuesOf(result)).toHaveLength(MAX_REPORTED_ISSUES);
    const reason = xsdFailureReason(result);
    expect(reason.length).toBeLessThanOrEqual(REASON_CHARS + 1);
    expect(reason.endsWith('…')).toBe(true);
  });

  it('validates a large valid document (about 8 MB, 120 000 loan parts) and still finds a fault at its end', () => {
    const many = part('123456.78', '02', 'J').repeat(120_000);
    const big = message(many);
    expect(big.length).toBeGreaterThan(8_000_000);
    const limits = { maxElements: 1_000_000 };
    const started = performance.now();
    expect(validateXml(set(), big, { limits }).status).toBe('valid');
    const ms = performance.now() - started;
    // Generous bound for a shared 2-core machine; about 1 s is usual.
    expect(ms).toBeLessThan(15_000);
    const broken = message(`${many}\n${part('1.001')}`);
    expect(issuesOf(validateXml(set(), broken, { limits }))).toEqual([{ line: 2, message: expect.stringMatching(/fractionDigits/) }]);
  });

  it('chooses among several schemas declaring the same root: valid if one accepts it, else the issues of each', () => {
    const dir = tempFolder({
      'ox.xsd': `<xs:schema ${XS}><xs:element name="HDN"><xs:complexType><xs:sequence><xs:element name="OX" type="xs:string"/></xs:sequence></xs:complexType></xs:element></xs:schema>`,
      'sx.xsd': `<xs:schema ${XS}><xs:element name="HDN"><xs:complexType><xs:sequence><xs:element name="SX" type="xs:int"/></xs:sequence></xs:complexType></xs:element></xs:schema>`,
    });
    const two = load(dir);
    expect(validateXml(two, '<HDN><SX>3</SX></HDN>')).toMatchObject({ status: 'valid', schema: 'sx.xsd' });
    expect(validateXml(two, '<HDN><OX>x</OX></HDN>')).toMatchObject({ status: 'valid', schema: 'ox.xsd' });
    const neither = validateXml(two, '<HDN><SX>x</SX></HDN>');
    expect(neither).toMatchObject({ status: 'invalid', schema: 'ox.xsd, sx.xsd' });
    expect(issuesOf(neither).map((i) => i.message.split(':')[0])).toEqual(['ox.xsd', 'sx.xsd']);
  });
});

describe('validateWithXsdFolder / validateXmlOffThread', () => {
  it('reports a folder that is gone as unchecked, not as an exception', () => {
    expect(validateWithXsdFolder(path.join(tmpdir(), 'no-such-xsd-folder-17'), validXml)).toEqual({
      status: 'unchecked',
      reason: `Schema folder ${path.join(tmpdir(), 'no-such-xsd-folder-17')} does not exist`,
    });
  });

  it('validates in a thread of the XML pool with the same results as in line', async () => {
    const pool = new XmlParsePool({ threads: 1, timeoutMs: 10_000 });
    try {
      expect(await validateXmlOffThread(pool, xsdDir, validXml)).toEqual(validateXml(load(xsdDir), validXml));
      expect(await validateXmlOffThread(pool, xsdDir, new Uint8Array(invalidXml))).toEqual(validateXml(load(xsdDir), invalidXml));
    } finally {
      await pool.close();
    }
  });
});
