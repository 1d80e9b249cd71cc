/**
 * Reading and writing the fast-xml-parser object form with element paths in every error.
 *
 * The codec maps each XML element it models through an `XmlElement`; whatever it did not ask
 * for is left over and becomes the object's `extra`, so unknown elements survive a round trip
 * without the codec having to list them.
 */
import { isCalendarDate } from '../../domain/dates.js';
import { NOT_XML_CHAR, clip, decodeRawText } from './safe-xml.js';
import { HdnError, HdnErrorType, type HdnExtra } from './types.js';

/** Text of an element in fast-xml-parser's object form (attributes use this prefix). */
export const TEXT_KEY = '#text';
export const ATTRIBUTE_PREFIX = '@_';

export function invalid(path: string, problem: string, cause?: unknown): HdnError {
  return new HdnError(HdnErrorType.Invalid, `${path} ${problem}`, { element: path, cause });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A container element being read; tracks which children the codec consumed. */
export class XmlElement {
  private readonly consumed = new Set<string>();

  private constructor(
    readonly path: string,
    private readonly node: Readonly<Record<string, unknown>>,
  ) {}

  /** `value` is what fast-xml-parser produced for the element at `path`. */
  static of(path: string, value: unknown): XmlElement {
    // An empty container (<Header/>) parses as "": no children, and the missing ones are reported.
    if (value === '') return new XmlElement(path, {});
    if (Array.isArray(value)) throw invalid(path, 'must occur once');
    if (!isPlainObject(value)) throw invalid(path, 'must contain elements, not text');
    return new XmlElement(path, value);
  }

  childPath(name: string): string {
    return `${this.path}/${name}`;
  }

  has(name: string): boolean {
    return Object.hasOwn(this.node, name);
  }

  /** Child element names present (attributes and text excluded). */
  childNames(): string[] {
    return Object.keys(this.node).filter((k) => k !== TEXT_KEY && !k.startsWith(ATTRIBUTE_PREFIX));
  }

  private take(name: string): unknown {
    this.consumed.add(name);
    return this.node[name];
  }

  /**
   * Text of an optional leaf. An empty element counts as absent, so senders that write
   * `<Toelichting/>` for "nothing" and senders that leave it out look the same.
   */
  text(name: string): string | undefined {
    if (!this.has(name)) return undefined;
    const path = this.childPath(name);
    const value = this.take(name);
    if (Array.isArray(value)) throw invalid(path, `must occur once, found ${value.length}`);
    let text: string;
    if (typeof value === 'string') {
      text = value;
    } else if (isPlainObject(value) && Object.keys(value).every((k) => k === TEXT_KEY || k.startsWith(ATTRIBUTE_PREFIX))) {
      // Attributes on a modelled leaf carry nothing HDN defines; the text is what counts.
      const t = value[TEXT_KEY];
      text = typeof t === 'string' ? t : '';
    } else {
      throw invalid(path, 'must be a text value, not contain elements');
    }
    return text === '' ? undefined : text;
  }

  /**
   * Text of a leaf the parser returned raw (a stop node, see `rawTextElements` in codec.ts):
   * decoded here, with the same absent/empty rules as `text`.
   */
  rawText(name: string): string | undefined {
    const raw = this.text(name);
    if (raw === undefined) return undefined;
    const text = decodeRawText(raw);
    if (text === undefined) throw invalid(this.childPath(name), 'must be a text value, not contain elements');
    const trimmed = text.trim();
    return trimmed === '' ? undefined : trimmed;
  }

  requiredText(name: string): string {
    const present = this.has(name);
    const text = this.text(name);
    if (text === undefined) throw invalid(this.childPath(name), present ? 'is empty' : 'is missing');
    return text;
  }

  /** Text that must match a pattern; `what` says what it should be, for the message. */
  matching(name: string, pattern: RegExp, what: string, required: true): string;
  matching(name: string, pattern: RegExp, what: string, required?: false): string | undefined;
  matching(name: string, pattern: RegExp, what: string, required = false): string | undefined {
    const text = required ? this.requiredText(name) : this.text(name);
    if (text !== undefined && !pattern.test(text)) throw invalid(this.childPath(name), `must be ${what}, got ${JSON.stringify(clip(text))}`);
    return text;
  }

  /** A non-negative whole number (amounts in cents, months, house numbers). */
  integer(name: string, required: true, min?: number): number;
  integer(name: string, required?: false, min?: number): number | undefined;
  integer(name: string, required = false, min = 0): number | undefined {
    const text = required ? this.requiredText(name) : this.text(name);
    if (text === undefined) return undefined;
    const path = this.childPath(name);
    if (!/^[0-9]+$/.test(text)) throw invalid(path, `must be a whole number, got ${JSON.stringify(clip(text))}`);
    const n = Number(text);
    if (!Number.isSafeInteger(n)) throw invalid(path, `is too large, got ${JSON.stringify(clip(text))}`);
    if (n < min) throw invalid(path, `must be at least ${min}, got ${JSON.stringify(clip(text))}`);
    return n;
  }

  /** HDN writes booleans as J/N; true/false are accepted as well. */
  boolean(name: string, required: true): boolean;
  boolean(name: string, required?: false): boolean | undefined;
  boolean(name: string, required = false): boolean | undefined {
    const text = required ? this.requiredText(name) : this.text(name);
    if (text === undefined) return undefined;
    switch (text.toLowerCase()) {
      case 'j':
      case 'true':
        return true;
      case 'n':
      case 'false':
        return false;
      default:
        throw invalid(this.childPath(name), `must be J or N, got ${JSON.stringify(clip(text))}`);
    }
  }

  date(name: string, required: true): string;
  date(name: string, required?: false): string | undefined;
  date(name: string, required = false): string | undefined {
    const text = required ? this.requiredText(name) : this.text(name);
    if (text !== undefined && !isCalendarDate(text)) throw invalid(this.childPath(name), `must be a date YYYY-MM-DD, got ${JSON.stringify(clip(text))}`);
    return text;
  }

  /** Interest rate as a decimal string, kept exactly as sent ("3.85"). */
  rate(name: string): string | undefined {
    return this.matching(name, /^[0-9]{1,3}(\.[0-9]+)?$/, 'a decimal percentage like "3.85"');
  }

  /** Repeated container children (0..n), in document order. */
  children(name: string): XmlElement[] {
    if (!this.has(name)) return [];
    const value = this.take(name);
    const path = this.childPath(name);
    const items = Array.isArray(value) ? value : [value];
    return items.map((item, index) => XmlElement.of(items.length > 1 ? `${path}[${index + 1}]` : path, item));
  }

  child(name: string): XmlElement | undefined {
    if (!this.has(name)) return undefined;
    return XmlElement.of(this.childPath(name), this.take(name));
  }

  requiredChild(name: string): XmlElement {
    const child = this.child(name);
    if (!child) throw invalid(this.childPath(name), 'is missing');
    return child;
  }

  /** Everything not consumed: unknown elements and attributes, verbatim; undefined when none. */
  extra(): HdnExtra | undefined {
    const rest: HdnExtra = {};
    for (const [key, value] of Object.entries(this.node)) {
      if (!this.consumed.has(key)) rest[key] = value;
    }
    return Object.keys(rest).length > 0 ? rest : undefined;
  }
}

/** Builds the object form of one element: known children in order, then `extra`. */
export class XmlWriter {
  private readonly node: Record<string, unknown> = {};
  /** Every modelled name, also those left out because absent: `extra` may not reuse them. */
  private readonly modelled = new Set<string>();

  constructor(private readonly path: string) {}

  /** Optional values that are absent (or empty strings) are left out, mirroring `XmlElement.text`. */
  put(name: string, value: string | number | boolean | undefined): this {
    this.modelled.add(name);
    if (value === undefined || value === '') return this;
    return this.putRequired(name, value);
  }

  /** Required values are always written (an empty one then fails validation with its path). */
  putRequired(name: string, value: string | number | boolean): this {
    this.modelled.add(name);
    const text = typeof value === 'boolean' ? (value ? 'J' : 'N') : String(value);
    // XML cannot carry these at all, not even escaped; better to refuse than to send broken XML.
    if (NOT_XML_CHAR.test(text)) throw invalid(`${this.path}/${name}`, 'contains a control character XML cannot carry');
    this.node[name] = text;
    return this;
  }

  putElements(name: string, elements: Record<string, unknown>[]): this {
    this.modelled.add(name);
    if (elements.length === 1) this.node[name] = elements[0];
    else if (elements.length > 1) this.node[name] = elements;
    return this;
  }

  putElement(name: string, element: Record<string, unknown> | undefined): this {
    this.modelled.add(name);
    if (element !== undefined) this.node[name] = element;
    return this;
  }

  /** Appends kept unknown elements; one that shadows a modelled element would be ambiguous. */
  withExtra(extra: HdnExtra | undefined): Record<string, unknown> {
    for (const [key, value] of Object.entries(extra ?? {})) {
      if (this.modelled.has(key)) throw invalid(`${this.path}/${key}`, 'is modelled and may not also appear in extra');
      this.node[key] = value;
    }
    return this.node;
  }
}
