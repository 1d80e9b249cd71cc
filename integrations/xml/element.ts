/**
 * Reading fast-xml-parser's object form (see `parseUntrustedXml`) with an element path in every
 * error, so a refused document says exactly where it went wrong
 * ("Document/BkToCstmrStmt/Stmt/Ntry[2]/Amt has no Ccy attribute", "HDN/SX/StatusCode is missing").
 *
 * This is the common core: navigation, leaves, dates, patterns, and which children were read
 * (`extra`: what the reader did not ask for, for codecs that keep unknown elements). Value
 * formats of one integration (HDN's J/N booleans, SEPA amounts with Ccy) live in a subclass in
 * that integration; every method returning an element returns the subclass.
 *
 * Errors are XmlError `Invalid` with `path`; the message is "<path> <problem>".
 */
import { isCalendarDate } from '../../domain/dates.js';
import { XmlError, XmlErrorType } from './errors.js';
import { clip, decodeRawText } from './lexer.js';
import { ATTRIBUTE_PREFIX, TEXT_KEY } from './parse.js';

type XmlObject = Readonly<Record<string, unknown>>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "<path> <problem>" as an XmlError Invalid naming the path. */
export function invalidElement(path: string, problem: string, cause?: unknown): XmlError {
  return new XmlError(XmlErrorType.Invalid, `${path} ${problem}`, { path, cause });
}

/** A quoted, clipped value for messages: `got "12a"`. */
export function quoted(text: string): string {
  return JSON.stringify(clip(text));
}

/** The children of a container element, or why `value` is not one. */
function contentOf(path: string, value: unknown): XmlObject {
  // An empty container (<Header/>) parses as "": no children, and the missing ones are reported.
  if (value === '' || value === undefined) return {};
  if (Array.isArray(value)) throw invalidElement(path, 'must occur once');
  if (!isPlainObject(value)) throw invalidElement(path, 'must contain elements, not text');
  return value;
}

/** Text of one leaf occurrence: a string, or the text of an element that has only attributes besides it. */
function leafText(path: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (isPlainObject(value) && Object.keys(value).every((k) => k === TEXT_KEY || k.startsWith(ATTRIBUTE_PREFIX))) {
    // Attributes on a leaf are read separately (`childAttribute`); the text is what counts.
    const t = value[TEXT_KEY];
    return typeof t === 'string' ? t : '';
  }
  throw invalidElement(path, 'must be a text value, not contain elements');
}

/** A container element being read; tracks which children were read. */
export class XmlElement {
  private readonly consumed = new Set<string>();

  protected constructor(
    readonly path: string,
    private readonly node: XmlObject,
  ) {}

  /**
   * `value` is what fast-xml-parser produced for the element at `path` (an object, or "" for an
   * empty element). Called on a subclass, returns that subclass.
   */
  static of<T extends XmlElement>(this: { prototype: T }, path: string, value: unknown): T {
    const Element = this as unknown as new (path: string, node: XmlObject) => T;
    return new Element(path, contentOf(path, value));
  }

  /** A child element of the same class as this one. */
  protected element(path: string, value: unknown): this {
    const Element = this.constructor as unknown as new (path: string, node: XmlObject) => this;
    return new Element(path, contentOf(path, value));
  }

  protected invalid(name: string, problem: string): XmlError {
    return invalidElement(this.childPath(name), problem);
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

  /** The child's value, marked as read (see `extra`). */
  protected take(name: string): unknown {
    this.consumed.add(name);
    return this.node[name];
  }

  /** True when the child element `name` holds elements (not only text and attributes). */
  isContainer(name: string): boolean {
    const value = this.node[name];
    return isPlainObject(value) && Object.keys(value).some((k) => k !== TEXT_KEY && !k.startsWith(ATTRIBUTE_PREFIX));
  }

  /** Attribute of a child leaf (`Amt@Ccy`). */
  childAttribute(name: string, attribute: string): string | undefined {
    const value = this.node[name];
    if (!isPlainObject(value)) return undefined;
    const attr = value[`${ATTRIBUTE_PREFIX}${attribute}`];
    return typeof attr === 'string' ? attr : undefined;
  }

  child(name: string): this | undefined {
    if (!this.has(name)) return undefined;
    return this.element(this.childPath(name), this.take(name));
  }

  requiredChild(name: string): this {
    const child = this.child(name);
    if (!child) throw this.invalid(name, 'is missing');
    return child;
  }

  /** Repeated container children (0..n), in document order; paths are numbered from 1 when there are several. */
  children(name: string): this[] {
    if (!this.has(name)) return [];
    const value = this.take(name);
    const path = this.childPath(name);
    const items = Array.isArray(value) ? value : [value];
    return items.map((item, index) => this.element(items.length > 1 ? `${path}[${index + 1}]` : path, item));
  }

  /** Descends a path of single children, given as separate names. */
  at(...names: string[]): this | undefined {
    return names.reduce<this | undefined>((node, name) => node?.child(name), this);
  }

  /**
   * Text of an optional leaf that may occur once. An empty element counts as absent, so senders
   * that write `<Toelichting/>` for "nothing" and senders that leave it out look the same.
   */
  text(name: string): string | undefined {
    if (!this.has(name)) return undefined;
    const value = this.take(name);
    if (Array.isArray(value)) throw this.invalid(name, `must occur once, found ${value.length}`);
    const text = leafText(this.childPath(name), value);
    return text === '' ? undefined : text;
  }

  requiredText(name: string): string {
    const text = this.text(name);
    if (text === undefined) throw this.invalid(name, this.has(name) ? 'is empty' : 'is missing');
    return text;
  }

  /** Texts of a repeatable leaf (RmtInf/Ustrd), in document order, empty ones left out. */
  texts(name: string): string[] {
    if (!this.has(name)) return [];
    const value = this.take(name);
    const items = Array.isArray(value) ? value : [value];
    return items.map((item) => leafText(this.childPath(name), item)).filter((t) => t !== '');
  }

  /**
   * Text of a leaf the parser returned raw (see `rawTextElements` of parseUntrustedXml): CDATA
   * unwrapped, comments dropped, references decoded, trimmed; absent/empty as in `text`.
   */
  rawText(name: string): string | undefined {
    const raw = this.text(name);
    if (raw === undefined) return undefined;
    const text = decodeRawText(raw);
    if (text === undefined) throw this.invalid(name, 'must be a text value, not contain elements');
    if (typeof text !== 'string') throw this.invalid(name, text.problem);
    const trimmed = text.trim();
    return trimmed === '' ? undefined : trimmed;
  }

  /** Text that must match a pattern; `what` says what it should be, for the message. */
  matching(name: string, pattern: RegExp, what: string, required: true): string;
  matching(name: string, pattern: RegExp, what: string, required?: false): string | undefined;
  matching(name: string, pattern: RegExp, what: string, required = false): string | undefined {
    const text = required ? this.requiredText(name) : this.text(name);
    if (text !== undefined && !pattern.test(text)) throw this.invalid(name, `must be ${what}, got ${quoted(text)}`);
    return text;
  }

  /** Text that must be one of `allowed`. */
  oneOf<T extends string>(name: string, allowed: readonly T[], required: true): T;
  oneOf<T extends string>(name: string, allowed: readonly T[], required?: false): T | undefined;
  oneOf<T extends string>(name: string, allowed: readonly T[], required = false): T | undefined {
    const text = required ? this.requiredText(name) : this.text(name);
    if (text === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(text)) throw this.invalid(name, `must be one of ${allowed.join(', ')}, got ${quoted(text)}`);
    return text as T;
  }

  /** A calendar date YYYY-MM-DD (2026-02-30 is refused). */
  date(name: string, required: true): string;
  date(name: string, required?: false): string | undefined;
  date(name: string, required = false): string | undefined {
    const text = required ? this.requiredText(name) : this.text(name);
    if (text !== undefined && !isCalendarDate(text)) throw this.invalid(name, `must be a date YYYY-MM-DD, got ${quoted(text)}`);
    return text;
  }

  /** Everything not read: unknown elements and attributes, verbatim; undefined when none. */
  extra(): Record<string, unknown> | undefined {
    const rest: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this.node)) {
      if (!this.consumed.has(key)) rest[key] = value;
    }
    return Object.keys(rest).length > 0 ? rest : undefined;
  }
}
