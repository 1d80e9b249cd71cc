/**
 * Untrusted SEPA XML (camt from the bank, pain.008 in the simulated bank) to fast-xml-parser's
 * object form, safely.
 *
 * The hard part - size limit before decoding, refusing DOCTYPE/ENTITY/PIs, bounded depth,
 * only XML's own entity references - is the HDN integration's lexer (integrations/hdn/
 * safe-xml.ts), reused rather than copied. It speaks HdnError, so its errors are translated
 * here into SepaErrors with the same element path. (It belongs in a shared integrations/xml
 * module; moving it is the HDN owner's call.)
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { checkXmlChars, clip, decodeXmlInput, displayPath, offsetOf, safeEntityDecoder, scanXml } from '../hdn/safe-xml.js';
import { HdnError, HdnErrorType } from '../hdn/types.js';
import { SepaError, SepaErrorType, type SepaParseLimits } from './types.js';

export const defaultSepaParseLimits: Readonly<SepaParseLimits> = Object.freeze({ maxBytes: 20 * 1024 * 1024, maxDepth: 32 });

export const ATTRIBUTE_PREFIX = '@_';
export const TEXT_KEY = '#text';

export interface ParsedXml {
  /** The root element's name without namespace prefix. */
  rootName: string;
  /** Namespace URI of the root element (default or prefixed), when declared. */
  namespace?: string;
  /** The root element's content in object form (namespace prefixes removed). */
  root: unknown;
}

function resolveLimits(limits: Partial<SepaParseLimits>): SepaParseLimits {
  const merged = { ...defaultSepaParseLimits };
  if (limits.maxBytes !== undefined) merged.maxBytes = limits.maxBytes;
  if (limits.maxDepth !== undefined) merged.maxDepth = limits.maxDepth;
  for (const [name, value] of Object.entries(merged)) {
    if (!(typeof value === 'number' && value > 0)) throw new RangeError(`SEPA parse limit ${name} must be a positive number, got ${String(value)}`);
  }
  return merged;
}

const errorTypes: Readonly<Record<string, SepaErrorType>> = {
  [HdnErrorType.Malformed]: SepaErrorType.Malformed,
  [HdnErrorType.ForbiddenConstruct]: SepaErrorType.ForbiddenConstruct,
  [HdnErrorType.TooLarge]: SepaErrorType.TooLarge,
  [HdnErrorType.TooDeep]: SepaErrorType.TooDeep,
  [HdnErrorType.Invalid]: SepaErrorType.Invalid,
};

/** Runs the HDN lexer and turns its errors into SepaErrors that name the document kind. */
function translated<T>(label: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (!(error instanceof HdnError)) throw error;
    throw new SepaError(errorTypes[error.type] ?? SepaErrorType.Malformed, error.message.replace(/^HDN message/, label), {
      path: error.element,
      cause: error,
    });
  }
}

/**
 * Checks and parses untrusted XML. `label` names the document in messages ("camt document").
 * Throws SepaError TooLarge / ForbiddenConstruct / TooDeep / Malformed.
 */
export function parseUntrustedXml(input: string | Uint8Array, label: string, limits: Partial<SepaParseLimits> = {}): ParsedXml {
  const { maxBytes, maxDepth } = resolveLimits(limits);
  const text = translated(label, () => decodeXmlInput(input, maxBytes));
  translated(label, () => {
    scanXml(text, { maxDepth });
    checkXmlChars(text, maxDepth);
  });
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    const path = displayPath(scanXml(text, { maxDepth: maxDepth + 1, stopAt: offsetOf(text, line, col) }));
    throw new SepaError(
      SepaErrorType.Malformed,
      `${label} is not well-formed XML: ${clip(msg, 200)} (line ${line}, column ${col}${path ? `, in ${path}` : ''})`,
      { path },
    );
  }
  const parser = new XMLParser({
    ignoreDeclaration: true,
    ignorePiTags: true,
    // Strings only: "0012" stays "0012"; amounts and dates are converted by the readers.
    parseTagValue: false,
    parseAttributeValue: false,
    ignoreAttributes: false,
    attributeNamePrefix: ATTRIBUTE_PREFIX,
    textNodeName: TEXT_KEY,
    trimValues: true,
    // Banks write <Document xmlns="..."> as well as <ns2:Document xmlns:ns2="...">.
    removeNSPrefix: true,
    processEntities: true,
    htmlEntities: false,
    entityDecoder: safeEntityDecoder,
    maxNestedTags: maxDepth + 1,
  });
  const parsed = translated(label, () => {
    try {
      return parser.parse(text) as unknown;
    } catch (cause) {
      if (cause instanceof HdnError) throw cause;
      throw new SepaError(SepaErrorType.Malformed, `${label} could not be parsed: ${clip(cause instanceof Error ? cause.message : String(cause), 200)}`, {
        cause,
      });
    }
  });
  const rootTag = rootStartTag(text);
  if (typeof parsed !== 'object' || parsed === null || rootTag === undefined) {
    throw new SepaError(SepaErrorType.Malformed, `${label} has no root element`);
  }
  const rootName = localName(rootTag.name);
  return { rootName, namespace: rootTag.namespace, root: (parsed as Record<string, unknown>)[rootName] };
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

/**
 * Name and namespace of the root element, read from its start tag: fast-xml-parser drops the
 * xmlns attributes once prefixes are removed. The text has passed the lexer, so comments and
 * PIs before the root are closed.
 */
function rootStartTag(text: string): { name: string; namespace?: string } | undefined {
  let i = 0;
  for (;;) {
    const lt = text.indexOf('<', i);
    if (lt === -1) return undefined;
    if (text.startsWith('<?', lt)) i = text.indexOf('?>', lt) + 2;
    else if (text.startsWith('<!--', lt)) i = text.indexOf('-->', lt) + 3;
    else {
      const tag = /^<([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\/?>/.exec(text.slice(lt, lt + 4096));
      if (!tag) return undefined;
      const name = tag[1] ?? '';
      const prefix = name.includes(':') ? name.slice(0, name.indexOf(':')) : undefined;
      const wanted = prefix === undefined ? 'xmlns' : `xmlns:${prefix}`;
      for (const attr of (tag[2] ?? '').matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        if (attr[1] === wanted) return { name, namespace: attr[2] ?? attr[3] };
      }
      return { name };
    }
  }
}
