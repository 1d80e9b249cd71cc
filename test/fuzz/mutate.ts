/** Random edits of a valid document, for property tests: what real corruption looks like. */
import fc from 'fast-check';

export type Edit =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'replace'; at: number; text: string }
  | { kind: 'duplicate'; at: number; length: number };

const xmlish = fc.constantFrom('<', '>', '/', '&', ';', '"', "'", '=', '<!--', '-->', '<![CDATA[', ']]>', '&amp;', '&#0;', '&#x110000;', '\u0000', '\uFFFF', '<?x?>', ' ', '\n', 'é', '😀', '0', '9', '-', '.');

export const edits: fc.Arbitrary<Edit[]> = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(xmlish, fc.string({ maxLength: 8 })) }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
    fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), text: fc.oneof(xmlish, fc.string({ maxLength: 4 })) }),
    fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 200 }) }),
  ),
  { minLength: 1, maxLength: 6 },
);

export function applyEdits(source: string, list: Edit[]): string {
  let s = source;
  for (const e of list) {
    const at = s.length === 0 ? 0 : e.at % (s.length + 1);
    switch (e.kind) {
      case 'insert':
        s = s.slice(0, at) + e.text + s.slice(at);
        break;
      case 'delete':
        s = s.slice(0, at) + s.slice(at + e.length);
        break;
      case 'replace':
        s = s.slice(0, at) + e.text + s.slice(at + e.text.length);
        break;
      case 'duplicate':
        s = s.slice(0, at + e.length) + s.slice(at, at + e.length) + s.slice(at + e.length);
        break;
    }
  }
  return s;
}

/**
 * A new value for one leaf element: the text of the n-th `>text<` (counted in the document, modulo
 * their number) replaced, escaped as XML text or raw. Keeps the structure, so many results still
 * read: the edits a reader's value checks and code lists see.
 */
export interface TextEdit {
  at: number;
  text: string;
  escape: boolean;
}

export const textEdits: fc.Arbitrary<TextEdit[]> = fc.array(
  fc.record({
    at: fc.nat(),
    text: fc.oneof(fc.string({ maxLength: 12 }), fc.stringMatching(/^-?[0-9]{0,12}([.,][0-9]{0,3})?$/), fc.constantFrom('', ' ', 'J', 'N', '00', '99', '31', '2026-02-30', '24:00:00', '1e3')),
    escape: fc.boolean(),
  }),
  { minLength: 1, maxLength: 3 },
);

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function applyTextEdits(source: string, list: TextEdit[]): string {
  let s = source;
  for (const e of list) {
    const leaves = [...s.matchAll(/>([^<>]*)</g)].filter((m) => m[1] !== undefined && m[1].trim() !== '');
    if (leaves.length === 0) return s;
    const leaf = leaves[e.at % leaves.length] as RegExpExecArray;
    const start = leaf.index + 1;
    s = s.slice(0, start) + (e.escape ? escapeText(e.text) : e.text) + s.slice(start + (leaf[1] as string).length);
  }
  return s;
}

/** A corrupted copy of one of `fixtures`: random edits anywhere, or new values for a few leaf elements. */
export function corruptedFrom(fixtures: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.tuple(fc.constantFrom(...fixtures), edits).map(([f, list]) => applyEdits(f, list)),
    fc.tuple(fc.constantFrom(...fixtures), textEdits).map(([f, list]) => applyTextEdits(f, list)),
  );
}
