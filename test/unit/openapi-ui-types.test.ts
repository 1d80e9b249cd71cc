/**
 * The web UI's API types come from the OpenAPI document, never from a hand-written copy:
 * - ui/src/generated/api.d.ts is what openapi-typescript makes of the document the routes
 *   produce now (regenerated here and compared), so a schema change without regeneration fails;
 * - no file in ui/src declares an object type that copies an API payload: an interface or
 *   type named like a component schema, or an object type with exactly the property names of
 *   a schema in the document (a renamed copy, or an inline `{ items: X[]; total: number }`).
 *   A one-name shape that types a function parameter (`{ productId }: { productId: string }`,
 *   React props) is the UI's own; a one-name shape anywhere else (`get<{ items: X[] }>`) is not.
 * The second check is also tried on code it must refuse, so it cannot pass by finding nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { OpenAPI3 } from 'openapi-typescript';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../config/settings.js';
import { buildOpenApiDocument, typesFromDocument, uiApiTypesFile } from '../../scripts/openapi.js';

const uiSrc = path.join(projectRoot, 'ui', 'src');
const generatedDir = path.join(uiSrc, 'generated');

/** Every `.ts`/`.tsx` file under ui/src except the generated ones. */
function uiSources(dir = uiSrc): { file: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return full === generatedDir ? [] : uiSources(full);
    return /\.tsx?$/.test(entry.name) ? [{ file: path.relative(projectRoot, full), text: readFileSync(full, 'utf8') }] : [];
  });
}

type Schema = { [key: string]: unknown };
const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The property-name sets of every object schema in the document (components, bodies, answers). */
function objectShapes(doc: OpenAPI3): Set<string> {
  const shapes = new Set<string>();
  const walk = (s: unknown): void => {
    if (!isObject(s)) return;
    if (isObject(s.properties)) {
      const names = Object.keys(s.properties);
      if (names.length > 0) shapes.add(names.sort().join(','));
      Object.values(s.properties).forEach(walk);
    }
    walk(s.items);
    walk(s.additionalProperties);
    for (const k of ['anyOf', 'oneOf', 'allOf'] as const) if (Array.isArray(s[k])) (s[k] as unknown[]).forEach(walk);
  };
  Object.values(doc.components?.schemas ?? {}).forEach(walk);
  for (const item of Object.values(doc.paths ?? {})) {
    for (const op of Object.values(item as Schema)) {
      if (!isObject(op)) continue;
      const bodies = [op.requestBody, ...Object.values(isObject(op.responses) ? op.responses : {})];
      for (const body of bodies) {
        if (isObject(body) && isObject(body.content)) for (const media of Object.values(body.content)) if (isObject(media)) walk(media.schema);
      }
    }
  }
  return shapes;
}

/** Object types in the sources that copy an API payload by hand, as `file:line what`. */
function handWrittenPayloadTypes(sources: { file: string; text: string }[], doc: OpenAPI3): string[] {
  const schemaNames = new Set(Object.keys(doc.components?.schemas ?? {}));
  const shapes = objectShapes(doc);
  const found: string[] = [];
  for (const { file, text } of sources) {
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    const at = (node: ts.Node) => `${file}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`;
    const memberNames = (members: ts.NodeArray<ts.TypeElement>) =>
      members.flatMap((m) => (m.name && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name)) ? [m.name.text] : []));
    const visit = (node: ts.Node): void => {
      let name: string | undefined;
      let members: ts.NodeArray<ts.TypeElement> | undefined;
      if (ts.isInterfaceDeclaration(node)) {
        name = node.name.text;
        members = node.members;
      } else if (ts.isTypeAliasDeclaration(node) && ts.isTypeLiteralNode(node.type)) {
        name = node.name.text;
      } else if (ts.isTypeLiteralNode(node)) {
        members = node.members;
      }
      if (name !== undefined && schemaNames.has(name)) {
        found.push(`${at(node)} ${name} is written by hand; take components['schemas']['${name}'] from the generated types`);
      } else if (members) {
        const list = memberNames(members);
        const names = list.sort().join(',');
        const props = list.length === 1 && ts.isParameter(node.parent);
        if (names && !props && shapes.has(names)) found.push(`${at(node)} { ${names} } copies an object schema of the OpenAPI document; derive it from the generated types`);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return found;
}

describe('the web UI types come from the OpenAPI document', () => {
  let doc: OpenAPI3;
  beforeAll(async () => {
    doc = await buildOpenApiDocument();
  });

  it('ui/src/generated/api.d.ts is what openapi-typescript makes of the current document', async () => {
    let onDisk: string;
    try {
      onDisk = readFileSync(uiApiTypesFile, 'utf8');
    } catch {
      throw new Error(`${path.relative(projectRoot, uiApiTypesFile)} is missing: run \`npm run generate:api-types\` (ui/build.sh does)`);
    }
    const expected = await typesFromDocument(doc);
    const a = onDisk.split('\n');
    const b = expected.split('\n');
    const n = Math.max(a.length, b.length);
    let i = 0;
    while (i < n && a[i] === b[i]) i++;
    const firstDifference = i === n ? undefined : { line: i + 1, onDisk: a[i], expected: b[i] };
    expect(firstDifference, 'the generated UI types are stale: run `npm run generate:api-types`').toBeUndefined();
    expect(Object.keys(doc.paths ?? {}).length).toBeGreaterThan(50);
  });

  it('ui/src declares no hand-written copy of an API payload', () => {
    const sources = uiSources();
    expect(sources.map((s) => s.file)).toContain(path.join('ui', 'src', 'types.ts'));
    expect(handWrittenPayloadTypes(sources, doc)).toEqual([]);
  });

  it('the check refuses hand-written payload types (named, renamed, or inline)', () => {
    const person = doc.components?.schemas?.Person as { properties: Record<string, unknown> };
    const copied = Object.keys(person.properties).map((k) => `  ${k}: unknown;`).join('\n');
    const sample = [
      `export interface Person {\n  id: string;\n}`,
      `export type Dossier = { id: string };`,
      `export interface Someone {\n${copied}\n}`,
      "export const load = () => get<{ items: unknown[]; total: number }>('/invoices');",
      "export const step = () => post<{ product: unknown }>('/products/1/steps/x');",
      'export function Card({ product }: { product: unknown }) { return product; }',
    ].join('\n');
    const found = handWrittenPayloadTypes([{ file: 'ui/src/sample.tsx', text: sample }], doc);
    expect(found).toEqual([
      expect.stringMatching(/^ui\/src\/sample\.tsx:1 Person is written by hand/),
      expect.stringMatching(/^ui\/src\/sample\.tsx:4 Dossier is written by hand/),
      expect.stringMatching(/^ui\/src\/sample\.tsx:5 \{ .*firstName.* \} copies an object schema/),
      expect.stringMatching(/^ui\/src\/sample\.tsx:\d+ \{ items,total \} copies an object schema/),
      expect.stringMatching(/^ui\/src\/sample\.tsx:\d+ \{ product \} copies an object schema/),
    ]);
  });
});
