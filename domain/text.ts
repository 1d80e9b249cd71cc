/**
 * Which characters a text may hold: the one rule behind the API's string schemas (the `x-text`
 * keyword, api/validation.ts), the JSON body check (api/plugins/input-contract.ts), CRM text
 * properties and the person import (services/person-import/import.ts, every cell).
 *
 * - Never, in any text: C0 controls other than tab, line feed and carriage return (NUL, ESC, ...),
 *   DEL, the C1 controls (U+0080–U+009F), the bidirectional embeddings, overrides and isolates
 *   (U+202A–U+202E, U+2066–U+2069, e.g. the RIGHT-TO-LEFT OVERRIDE that makes "fdp.exe" read
 *   "exe.pdf"), lone UTF-16 surrogates and the non-characters U+FFFE and U+FFFF. PostgreSQL refuses
 *   NUL in text; the others end up in the XML we send lenders and banks, in PDFs and in CSV exports.
 * - `line` text (names, titles, codes: the default): none of those, and no tab or line break
 *   either (also U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR).
 * - `free` text (notes, summaries, template bodies, descriptions): tab, line feed and carriage
 *   return are allowed.
 */

export const textKinds = ['line', 'free'] as const;
export type TextKind = (typeof textKinds)[number];

// With the `u` flag, [\uD800-\uDFFF] matches a surrogate only when it is not half of a pair.
const NEVER = '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069\\uD800-\\uDFFF\\uFFFE\\uFFFF';
const LINE_BREAKS = '\\t\\n\\r\\u2028\\u2029';

const forbidden: Record<TextKind, RegExp> = {
  line: new RegExp(`[${NEVER}${LINE_BREAKS}]`, 'u'),
  free: new RegExp(`[${NEVER}]`, 'u'),
};

const names: Record<number, string> = {
  0x00: 'NUL',
  0x09: 'TAB',
  0x0a: 'LINE FEED',
  0x0d: 'CARRIAGE RETURN',
  0x1b: 'ESC',
  0x7f: 'DEL',
  0x2028: 'LINE SEPARATOR',
  0x2029: 'PARAGRAPH SEPARATOR',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
};

/** `U+001B (ESC)`, `U+D800 (lone surrogate)`. */
export function describeCodePoint(codePoint: number): string {
  const hex = `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) return `${hex} (lone surrogate)`;
  const name = names[codePoint] ?? (codePoint < 0x20 || (codePoint >= 0x7f && codePoint <= 0x9f) ? 'control character' : undefined);
  return name ? `${hex} (${name})` : hex;
}

/** The first character a text of this kind may not hold, or undefined when the text is fine. */
export function forbiddenCharacter(text: string, kind: TextKind): { index: number; codePoint: number } | undefined {
  const m = forbidden[kind].exec(text);
  if (!m) return undefined;
  return { index: m.index, codePoint: m[0].codePointAt(0)! };
}

/** The refusal message for a text, or undefined when it is fine. */
export function textProblem(text: string, kind: TextKind): string | undefined {
  const bad = forbiddenCharacter(text, kind);
  if (!bad) return undefined;
  const what = describeCodePoint(bad.codePoint);
  return kind === 'line'
    ? `must not contain ${what}: a single line of text without control characters`
    : `must not contain ${what}: text without control characters (tab and line breaks are allowed)`;
}

export const isTextOfKind = (text: string, kind: TextKind): boolean => !forbidden[kind].test(text);
