/**
 * Guards for untrusted XML, run BEFORE fast-xml-parser sees the text.
 *
 * HDN bodies, bank files and RISK messages arrive over the network, so the classic XML attacks
 * must be impossible by construction rather than by parser configuration alone:
 * - size is checked on the byte length before anything is decoded (a 30 MB body costs nothing);
 * - DOCTYPE / ENTITY / any other `<!...>` declaration is refused outright, which rules out
 *   internal entity expansion ("billion laughs") and external entities (XXE) alike: entities
 *   can only be declared in a DTD, and there is none;
 * - processing instructions other than the leading `<?xml ...?>` declaration are refused;
 * - element depth is bounded with a single linear scan (no recursion, no parse tree);
 * - every `&` reference must be one of the five XML predefined entities or a numeric
 *   character reference; the decoder handed to fast-xml-parser knows nothing else.
 *
 * The scan is a small lexer, not a validator: well-formedness is left to XMLValidator. It
 * only has to be right about where markup starts and ends, so that a `<!DOCTYPE` inside a
 * comment or CDATA section is not mistaken for a real one.
 *
 * Every message starts with the caller's `label` ("HDN message", "camt document").
 */
import { Buffer } from 'node:buffer';
import { XmlError, XmlErrorType, type XmlCountLimit, type XmlForbiddenConstruct } from './errors.js';

/**
 * Size check and decoding: returns the XML text (without BOM) or throws TooLarge / NotUtf8 /
 * WrongEncoding. Strings are measured in UTF-8 bytes, so the limit means the same for both input kinds.
 */
export function decodeXmlInput(input: string | Uint8Array, maxBytes: number, label: string): string {
  if (typeof input === 'string') {
    // Every UTF-16 code unit is at least one UTF-8 byte: a long string is refused without
    // measuring it, a short one is measured without allocating.
    const bytes = input.length > maxBytes ? input.length : Buffer.byteLength(input, 'utf8');
    if (bytes > maxBytes) throw tooLarge(label, bytes, maxBytes, input.length > maxBytes);
    return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  }
  if (input.byteLength > maxBytes) throw tooLarge(label, input.byteLength, maxBytes, false);
  let text: string;
  try {
    // fatal: invalid UTF-8 is an error, not U+FFFD; the BOM is dropped by default.
    text = new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch (cause) {
    throw new XmlError(XmlErrorType.NotUtf8, `${label} is not valid UTF-8`, { cause });
  }
  // Bytes are decoded as UTF-8 only; a declaration promising another encoding would be a lie.
  const encoding = /^<\?xml[^>]*?\sencoding\s*=\s*["']([^"']*)["']/.exec(text)?.[1];
  if (encoding !== undefined && !/^utf-?8$/i.test(encoding)) {
    throw new XmlError(XmlErrorType.WrongEncoding, `${label} must be UTF-8, the XML declaration says "${clip(encoding)}"`);
  }
  return text;
}

function tooLarge(label: string, bytes: number, maxBytes: number, atLeast: boolean): XmlError {
  return new XmlError(XmlErrorType.TooLarge, `${label} is ${atLeast ? 'at least ' : ''}${bytes} bytes, more than the limit of ${maxBytes} bytes`);
}

/** Shortens untrusted text for error messages: a 1 MB element name must not become a 1 MB log line. */
export function clip(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/** An element path for messages: "HDN/Header/AanvraagVolgNr"; deep paths keep both ends. */
export function displayPath(names: readonly string[]): string | undefined {
  if (names.length === 0) return undefined;
  const shown = names.length > 8 ? [...names.slice(0, 4), '…', ...names.slice(-3)] : names;
  return shown.map((n) => clip(n, 40)).join('/');
}

/** Line and column (1-based) of an offset, for error messages. Only called on failure. */
export function lineColAt(xml: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = xml.indexOf('\n'); i !== -1 && i < offset; i = xml.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** Offset of a 1-based line/column (as XMLValidator reports them). */
export function offsetOf(xml: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l += 1) {
    const nl = xml.indexOf('\n', offset);
    if (nl === -1) return xml.length;
    offset = nl + 1;
  }
  return Math.min(xml.length, offset + Math.max(0, column - 1));
}

const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const REFERENCE_AT = /&(?:#([0-9]{1,7})|#x([0-9a-fA-F]{1,6})|([A-Za-z_][A-Za-z0-9._-]*));/y;

/** XML 1.0 `Char`: what a character reference may stand for. */
function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

type ReferenceProblem = { problem: string; type: XmlErrorType };

/** The replacement text of the reference at `offset`, or why it is refused. */
function resolveReferenceAt(text: string, offset: number): { value: string; length: number } | ReferenceProblem {
  REFERENCE_AT.lastIndex = offset;
  const m = REFERENCE_AT.exec(text);
  if (!m) return { type: XmlErrorType.BadReference, problem: `"&" must start an entity or character reference ("&amp;" for a literal ampersand)` };
  const [whole, dec, hex, name] = m;
  if (name !== undefined) {
    const value = PREDEFINED_ENTITIES[name];
    if (value === undefined) return { type: XmlErrorType.BadReference, problem: `entity "&${name};" is not declared (only &amp; &lt; &gt; &quot; &apos; exist)` };
    return { value, length: whole.length };
  }
  const cp = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex ?? '', 16);
  if (!isXmlChar(cp)) return { type: XmlErrorType.InvalidChar, problem: `character reference "${whole}" is not an allowed XML character` };
  return { value: String.fromCodePoint(cp), length: whole.length };
}

/** Decodes references, or says what the first refused one is. */
function tryDecodeXmlReferences(text: string): { text: string } | ReferenceProblem {
  const first = text.indexOf('&');
  if (first === -1) return { text };
  let out = text.slice(0, first);
  let i = first;
  while (i < text.length) {
    const amp = text.indexOf('&', i);
    if (amp === -1) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, amp);
    const ref = resolveReferenceAt(text, amp);
    if ('problem' in ref) return ref;
    out += ref.value;
    i = amp + ref.length;
  }
  return { text: out };
}

/**
 * Decodes the five predefined entities and numeric character references, nothing else.
 * The pre-scan has already refused anything else, so a throw here is a second line of defence.
 */
export function decodeXmlReferences(text: string, label: string): string {
  const decoded = tryDecodeXmlReferences(text);
  if ('problem' in decoded) throw new XmlError(decoded.type, `${label}: ${decoded.problem}`);
  return decoded.text;
}

/**
 * Text of an element fast-xml-parser handed over raw (a "stop node", used for big base64
 * content that its char-by-char text reader is slow on): CDATA sections are unwrapped,
 * comments dropped, references decoded. `undefined` when the element holds child elements,
 * `{ problem }` for a reference the scan would have refused. The document as a whole has been
 * scanned and validated before, so sections are closed.
 */
export function decodeRawText(raw: string): string | undefined | { problem: string } {
  let out = '';
  let i = 0;
  const decode = (part: string): string | { problem: string } => {
    const decoded = tryDecodeXmlReferences(part);
    return 'problem' in decoded ? { problem: decoded.problem } : decoded.text;
  };
  for (;;) {
    const lt = raw.indexOf('<', i);
    const text = decode(lt === -1 ? raw.slice(i) : raw.slice(i, lt));
    if (typeof text !== 'string') return text;
    out += text;
    if (lt === -1) return out;
    if (raw.startsWith('<![CDATA[', lt)) {
      const close = raw.indexOf(']]>', lt + 9);
      if (close === -1) return undefined;
      out += raw.slice(lt + 9, close);
      i = close + 3;
    } else if (raw.startsWith('<!--', lt)) {
      const close = raw.indexOf('-->', lt + 4);
      if (close === -1) return undefined;
      i = close + 3;
    } else {
      return undefined;
    }
  }
}

/** The shape of fast-xml-parser's `entityDecoder` option. */
export interface SafeEntityDecoder {
  decode(text: string): string;
  setExternalEntities(entities: Record<string, string>): void;
  addInputEntities(entities: Record<string, string>): void;
  reset(): void;
  setXmlVersion(version: number): void;
}

/**
 * The entity decoder handed to fast-xml-parser, so that text and attribute values get exactly
 * XML's own references decoded and a DTD can never add more.
 */
export function safeEntityDecoder(label: string): SafeEntityDecoder {
  return {
    decode: (text) => decodeXmlReferences(text, label),
    setExternalEntities(_entities) {
      throw new XmlError(XmlErrorType.Forbidden, `${label}: external entities are not allowed`, { construct: 'ENTITY' });
    },
    addInputEntities(entities) {
      // Only reachable through a DOCTYPE, which the scan refuses; an empty call is harmless.
      if (Object.keys(entities).length > 0) {
        throw new XmlError(XmlErrorType.Forbidden, `${label}: entity declarations are not allowed`, { construct: 'ENTITY' });
      }
    },
    reset() {},
    setXmlVersion(_version) {},
  };
}

/** C0 controls other than tab, LF, CR (and U+FFFE/U+FFFF) are not XML characters, not even escaped. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/** Refuses characters XML cannot contain (fast-xml-parser's validator lets them through). */
export function checkXmlChars(xml: string, maxDepth: number, label: string): void {
  const bad = NOT_XML_CHAR.exec(xml);
  if (!bad) return;
  const stack = scanXml(xml, { maxDepth, stopAt: bad.index, label });
  const path = displayPath(stack);
  const { line, column } = lineColAt(xml, bad.index);
  const code = `U+${(bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  throw new XmlError(
    XmlErrorType.InvalidChar,
    `${label}: character ${code} is not allowed in XML (line ${line}, column ${column}${path ? `, in ${path}` : ''})`,
    { path, line, column },
  );
}

/** The counting limits of the scan (undefined = not checked, for the scans that only name an element). */
export interface ScanCountLimits {
  /** Elements in the document (start tags, self-closing ones included). */
  maxElements?: number;
  /** Attributes on one element (xmlns declarations included). */
  maxAttributesPerElement?: number;
  /** Attributes in the whole document. */
  maxAttributes?: number;
  /** Characters in one text run, CDATA section or attribute value (references counted as written). */
  maxTextLength?: number;
  /**
   * Element paths (fast-xml-parser's dotted form, "HDN.OX.Bijlage.Inhoud") whose text may be
   * longer than `maxTextLength`: the raw-text elements, read by linear code, not by the parser.
   */
  longTextPaths?: readonly string[];
}

export interface ScanOptions extends ScanCountLimits {
  maxDepth: number;
  /** Stop before this offset and return the open elements there (to name the element of a validator error). */
  stopAt?: number;
  /** Starts every message ("HDN message"). */
  label: string;
}

type Fail = (type: XmlErrorType, at: number, what: string, construct?: XmlForbiddenConstruct, limit?: XmlCountLimit) => never;

/** The running counts of one scan, checked against its limits as each item is met. */
interface Counter {
  elements: number;
  attributes: number;
  readonly limits: ScanCountLimits;
  /** Refuses a text run of `length` characters at `at` unless the open element may hold long text. */
  text(at: number, length: number): void;
}

/**
 * One linear pass over the markup: refuses declarations, PIs, bad references and excessive
 * depth; returns the element stack at `stopAt` (or at the end). Nesting is tracked by name only.
 */
export function scanXml(xml: string, options: ScanOptions): string[] {
  const { maxDepth, label } = options;
  const end = Math.min(options.stopAt ?? xml.length, xml.length);
  const stack: string[] = [];
  const fail: Fail = (type, at, what, construct, limit) => {
    const { line, column } = lineColAt(xml, at);
    const path = displayPath(stack);
    throw new XmlError(type, `${label}: ${what} (line ${line}, column ${column}${path ? `, in ${path}` : ''})`, { path, line, column, construct, limit });
  };
  const { maxTextLength } = options;
  const longTextPaths = new Set(options.longTextPaths ?? []);
  const counter: Counter = {
    elements: 0,
    attributes: 0,
    limits: options,
    text(at, length) {
      // The dotted path is only built for a run that is over the limit.
      if (maxTextLength !== undefined && length > maxTextLength && !longTextPaths.has(stack.join('.'))) {
        fail(XmlErrorType.LimitExceeded, at, `a text of ${length} characters is longer than the limit of ${maxTextLength} (maxTextLength)`, undefined, 'maxTextLength');
      }
    },
  };
  const checkReference = (at: number): void => {
    const ref = resolveReferenceAt(xml, at);
    if ('problem' in ref) fail(ref.type, at, ref.problem);
  };

  // `nextAmp` only moves forward, so every "&" in the document is looked at once at most.
  let nextAmp = xml.indexOf('&');
  let rootSeen = false;
  let i = 0;
  while (i < end) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt === -1 || lt > end ? end : lt;
    // fast-xml-parser's validator lets some of these through (text after <a/>, two roots).
    if (stack.length === 0 && textEnd > i) {
      const stray = xml.slice(i, textEnd).search(/\S/);
      if (stray !== -1) fail(XmlErrorType.NotWellFormed, i + stray, 'text outside the root element');
    }
    if (stack.length > 0 && textEnd > i) counter.text(i, textEnd - i);
    while (nextAmp !== -1 && nextAmp < textEnd) {
      if (nextAmp >= i) checkReference(nextAmp);
      nextAmp = xml.indexOf('&', nextAmp + 1);
    }
    if (textEnd === end) break;
    const c1 = xml.charCodeAt(lt + 1);
    if (c1 === 0x21 /* ! */) {
      if (xml.startsWith('<!--', lt)) {
        const close = xml.indexOf('-->', lt + 4);
        if (close === -1) fail(XmlErrorType.NotWellFormed, lt, 'comment is not closed');
        i = close + 3;
      } else if (xml.startsWith('<![CDATA[', lt)) {
        const close = xml.indexOf(']]>', lt + 9);
        if (close === -1) fail(XmlErrorType.NotWellFormed, lt, 'CDATA section is not closed');
        counter.text(lt, close - lt - 9);
        i = close + 3;
      } else {
        // <!DOCTYPE, <!ENTITY, <!ELEMENT, <!ATTLIST, <!NOTATION: all DTD, all refused.
        const keyword = /^<!([A-Za-z]*)/.exec(xml.slice(lt, lt + 20))?.[1] ?? '';
        const construct: XmlForbiddenConstruct = keyword === 'DOCTYPE' ? 'DOCTYPE' : keyword === 'ENTITY' ? 'ENTITY' : 'DTD';
        fail(XmlErrorType.Forbidden, lt, `<!${keyword}> is not allowed (no DTD, no entity declarations)`, construct);
      }
    } else if (c1 === 0x3f /* ? */) {
      const target = /^<\?([^\s?>]*)/.exec(xml.slice(lt, lt + 64))?.[1] ?? '';
      // The XML declaration is only legal as the very first thing in the document.
      if (lt !== 0 || target !== 'xml') {
        fail(XmlErrorType.Forbidden, lt, `processing instruction <?${target}?> is not allowed`, 'PI');
      }
      const close = xml.indexOf('?>', lt + 2);
      if (close === -1) fail(XmlErrorType.NotWellFormed, lt, 'XML declaration is not closed');
      i = close + 2;
    } else if (c1 === 0x2f /* / */) {
      const close = xml.indexOf('>', lt + 2);
      if (close === -1) fail(XmlErrorType.NotWellFormed, lt, 'end tag is not closed');
      stack.pop();
      i = close + 1;
    } else {
      if (stack.length === 0) {
        if (rootSeen) fail(XmlErrorType.NotWellFormed, lt, 'a second root element');
        rootSeen = true;
      }
      i = scanStartTag(xml, lt, stack, maxDepth, fail, checkReference, counter);
      // References inside attribute values were checked by scanStartTag.
      while (nextAmp !== -1 && nextAmp < i) nextAmp = xml.indexOf('&', nextAmp + 1);
    }
  }
  return stack;
}

/** Scans `<name attr="...">` starting at `lt`; pushes the name unless self-closing. Returns the offset after `>`. */
function scanStartTag(
  xml: string,
  lt: number,
  stack: string[],
  maxDepth: number,
  fail: Fail,
  checkReference: (at: number) => void,
  counter: Counter,
): number {
  const { maxElements, maxAttributesPerElement, maxAttributes, maxTextLength } = counter.limits;
  counter.elements += 1;
  if (maxElements !== undefined && counter.elements > maxElements) {
    fail(XmlErrorType.LimitExceeded, lt, `more than ${maxElements} elements (maxElements)`, undefined, 'maxElements');
  }
  let j = lt + 1;
  while (j < xml.length && !isNameEnd(xml.charCodeAt(j))) j += 1;
  const name = xml.slice(lt + 1, j);
  if (name.length === 0) fail(XmlErrorType.NotWellFormed, lt, '"<" must start a tag ("&lt;" for a literal "<")');
  let quote = 0;
  let valueStart = 0;
  let attributes = 0;
  for (; j < xml.length; j += 1) {
    const ch = xml.charCodeAt(j);
    if (quote !== 0) {
      if (ch === quote) {
        quote = 0;
        if (maxTextLength !== undefined && j - valueStart > maxTextLength) {
          fail(XmlErrorType.LimitExceeded, valueStart, `an attribute value of <${clip(name)}> of ${j - valueStart} characters is longer than the limit of ${maxTextLength} (maxTextLength)`, undefined, 'maxTextLength');
        }
      } else if (ch === 0x26 /* & */) checkReference(j);
      else if (ch === 0x3c /* < */) fail(XmlErrorType.NotWellFormed, j, `"<" is not allowed in an attribute value of <${clip(name)}>`);
    } else if (ch === 0x22 || ch === 0x27) {
      // Every attribute has exactly one quoted value: counting values counts attributes.
      quote = ch;
      valueStart = j + 1;
      attributes += 1;
      counter.attributes += 1;
      if (maxAttributesPerElement !== undefined && attributes > maxAttributesPerElement) {
        fail(XmlErrorType.LimitExceeded, lt, `<${clip(name)}> has more than ${maxAttributesPerElement} attributes (maxAttributesPerElement)`, undefined, 'maxAttributesPerElement');
      }
      if (maxAttributes !== undefined && counter.attributes > maxAttributes) {
        fail(XmlErrorType.LimitExceeded, j, `more than ${maxAttributes} attributes in the document (maxAttributes)`, undefined, 'maxAttributes');
      }
    } else if (ch === 0x3e /* > */) {
      break;
    } else if (ch === 0x3c) {
      fail(XmlErrorType.NotWellFormed, lt, `start tag <${clip(name)}> is not closed`);
    }
  }
  if (j >= xml.length) fail(XmlErrorType.NotWellFormed, lt, `start tag <${clip(name)}> is not closed`);
  if (xml.charCodeAt(j - 1) !== 0x2f /* / */) {
    stack.push(name);
    if (stack.length > maxDepth) {
      fail(XmlErrorType.TooDeep, lt, `elements are nested more than ${maxDepth} deep`);
    }
  }
  return j + 1;
}

function isNameEnd(ch: number): boolean {
  // whitespace, '/', '>' end a tag name
  return ch === 0x20 || ch === 0x09 || ch === 0x0a || ch === 0x0d || ch === 0x2f || ch === 0x3e;
}
