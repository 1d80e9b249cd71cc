/**
 * SEPA XML in: untrusted camt (from the bank) and pain.008 (in the simulated bank, and to check
 * what the pain.008 library wrote) through the shared hardened reader (integrations/xml: size
 * before decoding, no DOCTYPE/ENTITY/PIs, bounded depth, only XML's own references), with
 * namespace prefixes removed and the root's namespace read from its start tag.
 *
 * `XmlNode` is the shared element reader plus the ISO 20022 value formats (amounts with Ccy,
 * date-times, xs:boolean, counts), with an element path in every error ("Document/BkToCstmrStmt/
 * Stmt/Ntry[2]/Amt ..."). Unknown elements are ignored: camt carries far more than we book.
 * Its errors, and the guard's, are XmlErrors; `withSepaErrors` turns them into SepaErrors with
 * the same message and path.
 */
import { isCalendarDate } from '../../domain/dates.js';
import { XmlElement, XmlErrorType, parseUntrustedXml, quoted, resolveXmlLimits, translateXmlErrors, type XmlError } from '../xml/index.js';
import { decimalToCents } from './amount.js';
import { SepaError, SepaErrorType, type SepaParseLimits } from './types.js';

/** camt files of a busy office hold thousands of entries of some 30 elements each; texts are short (Ustrd 140). */
export const defaultSepaParseLimits: Readonly<SepaParseLimits> = Object.freeze({
  maxBytes: 20 * 1024 * 1024,
  maxDepth: 32,
  maxElements: 500_000,
  maxAttributesPerElement: 16,
  maxAttributes: 200_000,
  maxTextLength: 64 * 1024,
});

export function invalidAt(path: string, problem: string): SepaError {
  return new SepaError(SepaErrorType.Invalid, `${path} ${problem}`, { path });
}

const sepaErrorTypes: Readonly<Record<XmlErrorType, SepaErrorType>> = {
  [XmlErrorType.TooLarge]: SepaErrorType.TooLarge,
  [XmlErrorType.Forbidden]: SepaErrorType.ForbiddenConstruct,
  [XmlErrorType.TooDeep]: SepaErrorType.TooDeep,
  // Over a counting limit (elements, attributes, text length): too large, like the byte limit.
  [XmlErrorType.LimitExceeded]: SepaErrorType.TooLarge,
  [XmlErrorType.NotUtf8]: SepaErrorType.Malformed,
  [XmlErrorType.InvalidChar]: SepaErrorType.Malformed,
  [XmlErrorType.BadReference]: SepaErrorType.Malformed,
  [XmlErrorType.NotWellFormed]: SepaErrorType.Malformed,
  [XmlErrorType.WrongEncoding]: SepaErrorType.Invalid,
  [XmlErrorType.Invalid]: SepaErrorType.Invalid,
};

function toSepaError(error: XmlError): SepaError {
  return new SepaError(sepaErrorTypes[error.type], error.message, { path: error.path, cause: error });
}

/** Runs a reader: XmlErrors (guard, parser, XmlNode) leave it as SepaErrors. */
export function withSepaErrors<T>(fn: () => T): T {
  return translateXmlErrors(fn, toSepaError);
}

export interface ParsedXml {
  /** The root element's name without namespace prefix. */
  rootName: string;
  /** Namespace URI of the root element (default or prefixed), when declared. */
  namespace?: string;
  /** The root element's content in object form (namespace prefixes removed). */
  root: unknown;
}

/**
 * Checks and parses untrusted XML. `label` names the document in messages ("camt document").
 * Throws XmlError (run it inside `withSepaErrors`), or SepaError Malformed when there is no root.
 */
export function parseSepaXml(input: string | Uint8Array, label: string, limits: Partial<SepaParseLimits> = {}): ParsedXml {
  const resolved = resolveXmlLimits(defaultSepaParseLimits, limits, 'SEPA');
  const { document, rootTag } = parseUntrustedXml(input, { label, ...resolved, namespaces: 'strip' });
  if (rootTag === undefined) throw new SepaError(SepaErrorType.Malformed, `${label} has no root element`);
  return { rootName: rootTag.localName, namespace: rootTag.namespace, root: document[rootTag.localName] };
}

/** An element of a SEPA document being read. */
export class XmlNode extends XmlElement {
  /**
   * Text of a leaf; an empty element counts as absent. Unlike the shared reader, empty
   * repetitions are not counted: `<Nm/><Nm>X</Nm>` reads as "X" (as this reader always did).
   */
  override text(name: string): string | undefined {
    const texts = this.texts(name);
    if (texts.length > 1) throw this.invalid(name, `must occur once, found ${texts.length}`);
    return texts[0];
  }

  /** ISO date-time as written (with or without offset); only the shape is checked. */
  dateTime(name: string, required: true): string;
  dateTime(name: string, required?: false): string | undefined;
  dateTime(name: string, required = false): string | undefined {
    const text = required ? this.requiredText(name) : this.text(name);
    if (text === undefined) return undefined;
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.test(text) || !isCalendarDate(text.slice(0, 10))) {
      throw this.invalid(name, `must be a date-time like 2026-03-02T09:00:00+01:00, got ${quoted(text)}`);
    }
    return text;
  }

  /** A boolean the ISO way: true/false (1/0 allowed by xs:boolean). */
  boolean(name: string): boolean | undefined {
    const text = this.text(name);
    if (text === undefined) return undefined;
    if (text === 'true' || text === '1') return true;
    if (text === 'false' || text === '0') return false;
    throw this.invalid(name, `must be true or false, got ${quoted(text)}`);
  }

  /** Amount element with its Ccy attribute, exactly in cents. */
  amount(name: string, required: true): { cents: number; currency: string };
  amount(name: string, required?: false): { cents: number; currency: string } | undefined;
  amount(name: string, required = false): { cents: number; currency: string } | undefined {
    const text = required ? this.requiredText(name) : this.text(name);
    if (text === undefined) return undefined;
    const parsed = decimalToCents(text);
    if ('problem' in parsed) throw this.invalid(name, parsed.problem);
    const currency = this.childAttribute(name, 'Ccy');
    if (currency === undefined) throw this.invalid(name, 'has no Ccy attribute');
    if (!/^[A-Z]{3}$/.test(currency)) throw this.invalid(name, `has Ccy ${quoted(currency)}, not a 3-letter currency code`);
    return { cents: parsed.cents, currency };
  }

  /** Whole number (NbOfTxs). */
  count(name: string, required: true): number;
  count(name: string, required?: false): number | undefined;
  count(name: string, required = false): number | undefined {
    const text = required ? this.requiredText(name) : this.text(name);
    if (text === undefined) return undefined;
    if (!/^[0-9]{1,15}$/.test(text)) throw this.invalid(name, `must be a whole number, got ${quoted(text)}`);
    return Number(text);
  }
}
