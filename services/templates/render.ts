/**
 * Template rendering: `{{a.b}}` placeholders filled from a data object that the activity
 * loaded from PostgreSQL. A missing variable is an error naming the variable (never an empty
 * hole in a letter). In HTML contexts every value is HTML-escaped.
 */

export class TemplateVariableMissingError extends Error {
  constructor(
    readonly variable: string,
    readonly template: string,
  ) {
    super(`template "${template}": variable {{${variable}}} has no value`);
    this.name = 'TemplateVariableMissingError';
  }
}

export interface RenderOptions {
  /** 'html' escapes values for HTML; 'text' inserts them as they are. */
  context: 'html' | 'text';
  /** Name of the template, for error messages. */
  name?: string;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\s*\}\}/g;

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function lookup(data: unknown, path: string): unknown {
  let current: unknown = data;
  for (const part of path.split('.')) {
    if (current === null || current === undefined || typeof current !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function stringify(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => stringify(v) ?? '').join(', ');
  return undefined; // objects are not printable: a template must name a leaf
}

/** Renders `source`; throws TemplateVariableMissingError for the first unresolvable placeholder. */
export function renderTemplate(source: string, data: Record<string, unknown>, options: RenderOptions): string {
  return source.replace(PLACEHOLDER, (_match, variable: string) => {
    const value = stringify(lookup(data, variable));
    if (value === undefined) throw new TemplateVariableMissingError(variable, options.name ?? '(inline)');
    return options.context === 'html' ? escapeHtml(value) : value;
  });
}

/** The placeholders a template uses, in order of first appearance. */
export function templateVariables(source: string): string[] {
  const seen = new Set<string>();
  for (const m of source.matchAll(PLACEHOLDER)) if (m[1]) seen.add(m[1]);
  return [...seen];
}

/** Splits a rendered text body into paragraphs (separated by blank lines). */
export function paragraphsOf(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.replace(/^\n+|\s+$/g, ''))
    .filter((p) => p.length > 0);
}

/** A minimal HTML version of a plain-text mail body: paragraphs, line breaks, escaped. */
export function textToHtml(text: string): string {
  const body = paragraphsOf(text)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  return `<!doctype html><html><body style="font-family: Arial, sans-serif">\n${body}\n</body></html>`;
}
