/**
 * HDN's reading and writing of the fast-xml-parser object form, with element paths in every error.
 *
 * Reading: `HdnElement` is the shared element reader (integrations/xml) plus HDN's value formats
 * (whole numbers, J/N booleans, rates). The codec maps each XML element it models through one;
 * whatever it did not ask for is left over and becomes the object's `extra`, so unknown elements
 * survive a round trip without the codec having to list them. Reader errors are XmlErrors
 * (type Invalid, with the path); parseHdn turns them into HdnErrors.
 *
 * Writing: `XmlWriter` builds the object form of one element; `hdnXmlText` turns a whole tree
 * (legacy codec, public-shape writer) into the text we send and store.
 */
import { XMLBuilder } from 'fast-xml-parser';
import { ATTRIBUTE_PREFIX, NOT_XML_CHAR, TEXT_KEY, XmlElement, quoted } from '../xml/index.js';
import { HdnError, HdnErrorType, type HdnExtra } from './types.js';

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: ATTRIBUTE_PREFIX,
  textNodeName: TEXT_KEY,
  // Escapes & < > " ' in text and attribute values.
  processEntities: true,
  suppressEmptyNode: false,
  suppressBooleanAttributes: false,
  format: true,
  indentBy: '  ',
});

/** An HDN document tree (fast-xml-parser object form) as UTF-8 XML text with its declaration. */
export function hdnXmlText(tree: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build(tree) as string}`;
}

export function invalid(path: string, problem: string, cause?: unknown): HdnError {
  return new HdnError(HdnErrorType.Invalid, `${path} ${problem}`, { element: path, cause });
}

/** A container element of an HDN message being read. */
export class HdnElement extends XmlElement {
  /** A non-negative whole number (amounts in cents, months, house numbers). */
  integer(name: string, required: true, min?: number): number;
  integer(name: string, required?: false, min?: number): number | undefined;
  integer(name: string, required = false, min = 0): number | undefined {
    const text = required ? this.requiredText(name) : this.text(name);
    if (text === undefined) return undefined;
    if (!/^[0-9]+$/.test(text)) throw this.invalid(name, `must be a whole number, got ${quoted(text)}`);
    const n = Number(text);
    if (!Number.isSafeInteger(n)) throw this.invalid(name, `is too large, got ${quoted(text)}`);
    if (n < min) throw this.invalid(name, `must be at least ${min}, got ${quoted(text)}`);
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
        throw this.invalid(name, `must be J or N, got ${quoted(text)}`);
    }
  }

  /** Interest rate as a decimal string, kept exactly as sent ("3.85"). */
  rate(name: string): string | undefined {
    return this.matching(name, /^[0-9]{1,3}(\.[0-9]+)?$/, 'a decimal percentage like "3.85"');
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
