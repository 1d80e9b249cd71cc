/**
 * Untrusted XML to fast-xml-parser's object form, safely: the one place that configures
 * fast-xml-parser for input from outside (HDN, bank files, RISK).
 *
 * Order: size on bytes and UTF-8 decoding -> the lexer (DOCTYPE/ENTITY/PIs, depth, references,
 * element/attribute counts and text lengths)
 * -> characters XML cannot carry -> XMLValidator (well-formedness, with the open element named)
 * -> XMLParser with our entity decoder (XML's five entities and character references only).
 * Every failure is an XmlError whose message starts with the caller's `label`.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { XmlError, XmlErrorType } from './errors.js';
import { checkXmlChars, clip, decodeXmlInput, displayPath, offsetOf, safeEntityDecoder, scanXml } from './lexer.js';

/** Attributes in the object form are keys with this prefix ("@_Ccy"). */
export const ATTRIBUTE_PREFIX = '@_';
/** The text of an element that also has attributes (or children) is under this key. */
export const TEXT_KEY = '#text';

export interface XmlLimits {
  /** Maximum input size in bytes (strings are measured in UTF-8). */
  maxBytes: number;
  /** Maximum element nesting depth. */
  maxDepth: number;
  /** Maximum number of elements in the document. */
  maxElements: number;
  /** Maximum number of attributes on one element. */
  maxAttributesPerElement: number;
  /** Maximum number of attributes in the whole document. */
  maxAttributes: number;
  /**
   * Maximum characters of one text run, CDATA section or attribute value; the raw-text elements
   * (`rawTextElements`, megabytes of base64) are exempt, their size is bounded by `maxBytes`.
   */
  maxTextLength: number;
}

/**
 * Every limit is checked by the lexer's one linear pass over the text, before fast-xml-parser
 * builds anything: a body over a limit costs a scan up to the point where it goes over.
 */
export const defaultXmlLimits: Readonly<XmlLimits> = Object.freeze({
  maxBytes: 20 * 1024 * 1024,
  maxDepth: 32,
  maxElements: 200_000,
  maxAttributesPerElement: 32,
  maxAttributes: 100_000,
  maxTextLength: 1024 * 1024,
});

const LIMIT_NAMES = ['maxBytes', 'maxDepth', 'maxElements', 'maxAttributesPerElement', 'maxAttributes', 'maxTextLength'] as const satisfies readonly (keyof XmlLimits)[];

/**
 * Merges caller limits over `defaults` (an undefined limit means the default), refusing
 * nonsense: a limit must be a positive number. `owner` names the limits in the RangeError ("HDN").
 */
export function resolveXmlLimits(defaults: Readonly<XmlLimits>, limits: Partial<XmlLimits> = {}, owner = 'XML'): XmlLimits {
  const merged = {} as XmlLimits;
  for (const name of LIMIT_NAMES) merged[name] = limits[name] ?? defaults[name];
  for (const [name, value] of Object.entries(merged)) {
    if (!(typeof value === 'number' && value > 0)) throw new RangeError(`${owner} parse limit ${name} must be a positive number, got ${String(value)}`);
  }
  return merged;
}

export interface XmlParseOptions extends Partial<XmlLimits> {
  /** Names the document at the start of every message: "HDN message", "camt document". Default "XML document". */
  label?: string;
  /**
   * 'keep' (default): element names as written, xmlns attributes kept as attributes.
   * 'strip': namespace prefixes removed from names (banks write both <Document xmlns="..."> and
   * <ns2:Document xmlns:ns2="...">); the root's namespace URI is in `rootTag.namespace`.
   */
  namespaces?: 'keep' | 'strip';
  /**
   * Elements whose content is handed over raw, as one string, instead of being parsed
   * (fast-xml-parser paths like "HDN.OX.Bijlage.Inhoud"): for megabytes of base64, which its
   * char-by-char text reader is slow on. Read them with `XmlElement.rawText`.
   */
  rawTextElements?: readonly string[];
  /**
   * Elements (same dotted paths) whose text may be longer than `maxTextLength` although it is
   * parsed as usual (RISK's inline base64 documents); raw-text elements are exempt anyway.
   */
  longTextElements?: readonly string[];
}

/** The root element's start tag as written. */
export interface XmlRootTag {
  /** With prefix, as written ("ns2:Document"). */
  name: string;
  /** Without prefix ("Document"). */
  localName: string;
  /** Namespace URI of the root element (default or prefixed), when declared on it. */
  namespace?: string;
}

export interface UntrustedXml {
  /**
   * The document in object form: one key, the root element's name (prefix removed with
   * namespaces 'strip'). Every value is a string (no number or boolean conversion), attributes
   * are `@_name` keys, text next to attributes or elements is under `#text`, repeated elements
   * are arrays, an empty element is "".
   */
  document: Record<string, unknown>;
  /** Undefined only when the start tag could not be read (longer than 4 KiB). */
  rootTag?: XmlRootTag;
}

/**
 * Checks and parses untrusted XML. Throws XmlError: TooLarge, NotUtf8, WrongEncoding,
 * Forbidden, TooDeep, LimitExceeded (with `limit`), InvalidChar, BadReference, NotWellFormed, naming the element (path) and
 * line/column where it can; RangeError for nonsense limits.
 */
export function parseUntrustedXml(input: string | Uint8Array, options: XmlParseOptions = {}): UntrustedXml {
  const label = options.label ?? 'XML document';
  const limits = resolveXmlLimits(defaultXmlLimits, options, 'XML');
  const { maxBytes, maxDepth } = limits;
  const text = decodeXmlInput(input, maxBytes, label);
  scanXml(text, { ...limits, label, longTextPaths: [...(options.rawTextElements ?? []), ...(options.longTextElements ?? [])] });
  checkXmlChars(text, maxDepth, label);
  checkWellFormed(text, maxDepth, label);

  const parser = new XMLParser({
    ignoreDeclaration: true,
    ignorePiTags: true,
    // Strings only: "0012" stays "0012"; numbers, amounts and dates are converted by the readers.
    parseTagValue: false,
    parseAttributeValue: false,
    ignoreAttributes: false,
    allowBooleanAttributes: false,
    attributeNamePrefix: ATTRIBUTE_PREFIX,
    textNodeName: TEXT_KEY,
    trimValues: true,
    removeNSPrefix: options.namespaces === 'strip',
    // Entities on, but through our decoder: the five XML entities and &#...; only.
    processEntities: true,
    htmlEntities: false,
    entityDecoder: safeEntityDecoder(label),
    maxNestedTags: maxDepth + 1,
    ...(options.rawTextElements && options.rawTextElements.length > 0 ? { stopNodes: [...options.rawTextElements] } : {}),
  });
  let parsed: unknown;
  try {
    parsed = parser.parse(text);
  } catch (cause) {
    if (cause instanceof XmlError) throw cause;
    // E.g. element names fast-xml-parser refuses (constructor, __proto__).
    throw new XmlError(XmlErrorType.NotWellFormed, `${label} could not be parsed: ${clip(cause instanceof Error ? cause.message : String(cause), 200)}`, {
      cause,
    });
  }
  if (typeof parsed !== 'object' || parsed === null) throw new XmlError(XmlErrorType.NotWellFormed, `${label} has no root element`);
  const rootTag = readRootTag(text);
  return { document: parsed as Record<string, unknown>, ...(rootTag ? { rootTag } : {}) };
}

function checkWellFormed(text: string, maxDepth: number, label: string): void {
  const result = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (result === true) return;
  const { msg, line, col } = result.err;
  // Name the open element where the validator stopped; the scan already accepted the text.
  const path = displayPath(scanXml(text, { maxDepth: maxDepth + 1, stopAt: offsetOf(text, line, col), label }));
  throw new XmlError(
    XmlErrorType.NotWellFormed,
    `${label} is not well-formed XML: ${clip(msg, 200)} (line ${line}, column ${col}${path ? `, in ${path}` : ''})`,
    { path, line, column: col },
  );
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

/**
 * Name and namespace of the root element, read from its start tag: fast-xml-parser drops the
 * xmlns attributes once prefixes are removed. The text has passed the lexer, so comments and
 * the XML declaration before the root are closed.
 */
function readRootTag(text: string): XmlRootTag | undefined {
  let i = 0;
  for (;;) {
    const lt = text.indexOf('<', i);
    if (lt === -1) return undefined;
    const skip = text.startsWith('<?', lt) ? { open: 2, close: '?>' } : text.startsWith('<!--', lt) ? { open: 4, close: '-->' } : undefined;
    if (skip) {
      const close = text.indexOf(skip.close, lt + skip.open);
      if (close === -1) return undefined;
      i = close + skip.close.length;
      continue;
    }
    const tag = /^<([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\/?>/.exec(text.slice(lt, lt + 4096));
    if (!tag) return undefined;
    const name = tag[1] ?? '';
    const prefix = name.includes(':') ? name.slice(0, name.indexOf(':')) : undefined;
    const wanted = prefix === undefined ? 'xmlns' : `xmlns:${prefix}`;
    const root: XmlRootTag = { name, localName: localName(name) };
    for (const attr of (tag[2] ?? '').matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      if (attr[1] === wanted) return { ...root, namespace: attr[2] ?? attr[3] };
    }
    return root;
  }
}
