/**
 * Reading fast-xml-parser's object form with an element path in every error, so a refused bank
 * file says exactly where it went wrong ("Document/BkToCstmrStmt/Stmt/Ntry[2]/Amt ...").
 * Unknown elements are ignored: camt carries far more than we book.
 */
import { isCalendarDate } from '../../domain/dates.js';
import { decimalToCents } from './amount.js';
import { ATTRIBUTE_PREFIX, TEXT_KEY } from './xml-guard.js';
import { SepaError, SepaErrorType } from './types.js';

export function invalidAt(path: string, problem: string): SepaError {
  return new SepaError(SepaErrorType.Invalid, `${path} ${problem}`, { path });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const quote = (text: string): string => JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);

export class XmlNode {
  private constructor(
    readonly path: string,
    private readonly node: Readonly<Record<string, unknown>>,
  ) {}

  /** `value` is what fast-xml-parser produced for the element at `path`. */
  static of(path: string, value: unknown): XmlNode {
    if (value === '' || value === undefined) return new XmlNode(path, {});
    if (Array.isArray(value)) throw invalidAt(path, 'must occur once');
    if (!isPlainObject(value)) throw invalidAt(path, 'must contain elements, not text');
    return new XmlNode(path, value);
  }

  has(name: string): boolean {
    return Object.hasOwn(this.node, name);
  }

  /** True when the child element `name` holds elements (not text): .02 vs .08 shapes differ so. */
  isContainer(name: string): boolean {
    const value = this.node[name];
    return isPlainObject(value) && Object.keys(value).some((k) => k !== TEXT_KEY && !k.startsWith(ATTRIBUTE_PREFIX));
  }

  childPath(name: string): string {
    return `${this.path}/${name}`;
  }

  child(name: string): XmlNode | undefined {
    return this.has(name) ? XmlNode.of(this.childPath(name), this.node[name]) : undefined;
  }

  requiredChild(name: string): XmlNode {
    const child = this.child(name);
    if (!child) throw invalidAt(this.childPath(name), 'is missing');
    return child;
  }

  /** Repeated children in document order; paths are numbered from 1 when there are several. */
  children(name: string): XmlNode[] {
    if (!this.has(name)) return [];
    const value = this.node[name];
    const items = Array.isArray(value) ? value : [value];
    return items.map((item, i) => XmlNode.of(items.length > 1 ? `${this.childPath(name)}[${i + 1}]` : this.childPath(name), item));
  }

  /** Descends a path of single children ("Refs/EndToEndId" style, as separate names). */
  at(...names: string[]): XmlNode | undefined {
    let node: XmlNode | undefined = this as XmlNode;
    for (const name of names) {
      node = node?.child(name);
      if (!node) return undefined;
    }
    return node;
  }

  /** Text of a leaf; an empty element counts as absent. */
  text(name: string): string | undefined {
    const texts = this.texts(name);
    if (texts.length > 1) throw invalidAt(this.childPath(name), `must occur once, found ${texts.length}`);
    return texts[0];
  }

  requiredText(name: string): string {
    const text = this.text(name);
    if (text === undefined) throw invalidAt(this.childPath(name), this.has(name) ? 'is empty' : 'is missing');
    return text;
  }

  /** Texts of a repeatable leaf (RmtInf/Ustrd), empty ones left out. */
  texts(name: string): string[] {
    if (!this.has(name)) return [];
    const value = this.node[name];
    const items = Array.isArray(value) ? value : [value];
    return items.map((item) => leafText(this.childPath(name), item)).filter((t): t is string => t !== undefined && t !== '');
  }

  /** Attribute of a child leaf (`Amt@Ccy`). */
  childAttribute(name: string, attribute: string): string | undefined {
    const value = this.node[name];
    if (!isPlainObject(value)) return undefined;
    const attr = value[`${ATTRIBUTE_PREFIX}${attribute}`];
    return typeof attr === 'string' ? attr : undefined;
  }

  /** Text that must be one of `allowed`. */
  oneOf<T extends string>(name: string, allowed: readonly T[], required: true): T;
  oneOf<T extends string>(name: string, allowed: readonly T[], required?: false): T | undefined;
  oneOf<T extends string>(name: string, allowed: readonly T[], required = false): T | undefined {
    const text = required ? this.requiredText(name) : this.text(name);
    if (text === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(text)) throw invalidAt(this.childPath(name), `must be one of ${allowed.join(', ')}, got ${quote(text)}`);
    return text as T;
  }

  date(name: string, required: true): string;
  date(name: string, required?: false): string | undefined;
  date(name: string, required = false): string | undefined {
    const text = required ? this.requiredText(name) : this.text(name);
    if (text !== undefined && !isCalendarDate(text)) throw invalidAt(this.childPath(name), `must be a date YYYY-MM-DD, got ${quote(text)}`);
    return text;
  }

  /** ISO date-time as written (with or without offset); only the shape is checked. */
  dateTime(name: string, required: true): string;
  dateTime(name: string, required?: false): string | undefined;
  dateTime(name: string, required = false): string | undefined {
    const text = required ? this.requiredText(name) : this.text(name);
    if (text === undefined) return undefined;
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.test(text) || !isCalendarDate(text.slice(0, 10))) {
      throw invalidAt(this.childPath(name), `must be a date-time like 2026-03-02T09:00:00+01:00, got ${quote(text)}`);
    }
    return text;
  }

  /** A boolean the ISO way: true/false (1/0 allowed by xs:boolean). */
  boolean(name: string): boolean | undefined {
    const text = this.text(name);
    if (text === undefined) return undefined;
    if (text === 'true' || text === '1') return true;
    if (text === 'false' || text === '0') return false;
    throw invalidAt(this.childPath(name), `must be true or false, got ${quote(text)}`);
  }

  /** Amount element with its Ccy attribute, exactly in cents. */
  amount(name: string, required: true): { cents: number; currency: string };
  amount(name: string, required?: false): { cents: number; currency: string } | undefined;
  amount(name: string, required = false): { cents: number; currency: string } | undefined {
    const text = required ? this.requiredText(name) : this.text(name);
    if (text === undefined) return undefined;
    const path = this.childPath(name);
    const parsed = decimalToCents(text);
    if ('problem' in parsed) throw invalidAt(path, parsed.problem);
    const currency = this.childAttribute(name, 'Ccy');
    if (currency === undefined) throw invalidAt(path, 'has no Ccy attribute');
    if (!/^[A-Z]{3}$/.test(currency)) throw invalidAt(path, `has Ccy ${quote(currency)}, not a 3-letter currency code`);
    return { cents: parsed.cents, currency };
  }

  /** Whole number (NbOfTxs). */
  count(name: string, required: true): number;
  count(name: string, required?: false): number | undefined;
  count(name: string, required = false): number | undefined {
    const text = required ? this.requiredText(name) : this.text(name);
    if (text === undefined) return undefined;
    if (!/^[0-9]{1,15}$/.test(text)) throw invalidAt(this.childPath(name), `must be a whole number, got ${quote(text)}`);
    return Number(text);
  }
}

function leafText(path: string, value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isPlainObject(value) && Object.keys(value).every((k) => k === TEXT_KEY || k.startsWith(ATTRIBUTE_PREFIX))) {
    const t = value[TEXT_KEY];
    return typeof t === 'string' ? t : undefined;
  }
  throw invalidAt(path, 'must be a text value, not contain elements');
}
