/**
 * AFD 1.0 XML (untrusted) -> the generic model (types.ts), refusing what is not an AFD message
 * with an AfdError that names the element at fault.
 *
 * The text is read by the project's hardened reader (integrations/xml: size on bytes, no
 * DOCTYPE/ENTITY/PIs, bounded depth and counts, only XML's own references); its XmlErrors are
 * translated here. Its object form groups same-named siblings into one array at the place of
 * the first one, so the model's order is document order except that entities of one code under
 * one parent are together (AFD writes them together anyway) and labels come before child
 * entities. Nothing is lost; only such interleaving is normalised.
 */
import {
  ATTRIBUTE_PREFIX,
  TEXT_KEY,
  XmlErrorType,
  clip,
  parseUntrustedXml,
  resolveXmlLimits,
  translateXmlErrors,
  type SerializedError,
  type XmlError,
  type XmlLimits,
  type XmlParsePool,
} from '../xml/index.js';
import { LABEL, checkAfdStructure, checkKind, isEntityCode } from './structure.js';
import { AfdError, AfdErrorType, type AfdEntity, type AfdMessage, type AfdReadOptions } from './types.js';

/**
 * AFD messages are small and shallow; documents carried inline (base64) are the large part, which
 * the caller exempts from maxTextLength with `longTextElements`.
 */
export const defaultAfdParseLimits: Readonly<XmlLimits> = Object.freeze({
  maxBytes: 10 * 1024 * 1024,
  // Root, entities nested a few levels (VP inside PP, coverages inside objects), labels.
  maxDepth: 16,
  maxElements: 50_000,
  maxAttributesPerElement: 16,
  maxAttributes: 1_000,
  maxTextLength: 64 * 1024,
});

const xmlToAfd: Readonly<Record<XmlErrorType, AfdErrorType>> = {
  [XmlErrorType.TooLarge]: AfdErrorType.TooLarge,
  [XmlErrorType.LimitExceeded]: AfdErrorType.TooLarge,
  [XmlErrorType.Forbidden]: AfdErrorType.ForbiddenConstruct,
  [XmlErrorType.TooDeep]: AfdErrorType.TooDeep,
  [XmlErrorType.NotUtf8]: AfdErrorType.Malformed,
  [XmlErrorType.WrongEncoding]: AfdErrorType.Malformed,
  [XmlErrorType.InvalidChar]: AfdErrorType.Malformed,
  [XmlErrorType.BadReference]: AfdErrorType.Malformed,
  [XmlErrorType.NotWellFormed]: AfdErrorType.Malformed,
  [XmlErrorType.Invalid]: AfdErrorType.Malformed,
};

const toAfdError = (error: XmlError): AfdError => new AfdError(xmlToAfd[error.type], error.message, { path: error.path, cause: error });

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `readAfd` in a thread of the XML pool (a slow document cannot hold up the event loop): the same
 * result or AfdError; XmlPoolError when the pool failed the job. A reference resolver is a
 * function and cannot cross to the thread, so references are checked here, on the result.
 */
export async function readAfdOffThread(pool: XmlParsePool, xml: string | Uint8Array, options: AfdReadOptions = {}): Promise<AfdMessage> {
  const { entityRefs, ...portable } = options;
  const message = await pool.run<AfdMessage>({ module: import.meta.url, fn: 'readAfd', args: [xml, portable] }, reviveAfdError);
  if (entityRefs !== undefined && entityRefs !== 'opaque') checkAfdStructure(message, options);
  return message;
}

/** An AfdError thrown in a pool thread, as it was (type and path). */
export function reviveAfdError(error: SerializedError): AfdError | undefined {
  if (error.name !== 'AfdError') return undefined;
  const type = Object.values(AfdErrorType).find((t) => t === error.props.type) ?? AfdErrorType.Malformed;
  const path = typeof error.props.path === 'string' ? error.props.path : undefined;
  return new AfdError(type, error.message, path !== undefined ? { path } : {});
}

/** Reads an AFD 1.0 message from untrusted XML; throws AfdError (never anything else for bad input). */
export function readAfd(xml: string | Uint8Array, options: AfdReadOptions = {}): AfdMessage {
  const limits = resolveXmlLimits(defaultAfdParseLimits, options.limits ?? {}, 'AFD');
  const { document } = translateXmlErrors(
    () => parseUntrustedXml(xml, { label: 'AFD message', ...limits, longTextElements: options.longTextElements ?? [] }),
    toAfdError,
  );
  const names = Object.keys(document);
  if (names.length !== 1) throw new AfdError(AfdErrorType.NotAMessage, 'AFD message must have exactly one root element');
  const kind = names[0] as string;
  checkKind(kind, options.kinds);
  const root = document[kind];
  const rootAttributes: Record<string, string> = {};
  const entities: AfdEntity[] = [];
  if (isNode(root)) {
    for (const [key, value] of Object.entries(root)) {
      if (key.startsWith(ATTRIBUTE_PREFIX)) {
        rootAttributes[key.slice(ATTRIBUTE_PREFIX.length)] = String(value);
      } else if (key === TEXT_KEY) {
        throw new AfdError(AfdErrorType.UnexpectedContent, `AFD message <${kind}> holds text outside its entities`, { path: kind });
      } else if (LABEL.test(key)) {
        throw new AfdError(AfdErrorType.AttributeOutsideEntity, `AFD label ${key} stands directly in <${kind}>, outside any entity`, {
          path: `${kind}/${key}`,
        });
      } else if (isEntityCode(key)) {
        entities.push(...readEntities(key, value, kind));
      } else {
        throw unknownElement(key, kind);
      }
    }
  } else if (root !== '') {
    throw new AfdError(AfdErrorType.UnexpectedContent, `AFD message <${kind}> holds text instead of entities`, { path: kind });
  }
  const message: AfdMessage = { kind, rootAttributes, entities };
  checkAfdStructure(message, options);
  return message;
}

function unknownElement(name: string, parent: string): AfdError {
  return new AfdError(
    AfdErrorType.UnknownElement,
    `AFD element <${clip(name)}> in ${parent} is neither an entity (two characters, like PP) nor a label (like PP_NUMMER)`,
    { path: `${parent}/${clip(name)}` },
  );
}

/** One or more same-coded sibling entities (the object form's array). */
function readEntities(code: string, value: unknown, parent: string): AfdEntity[] {
  const items = Array.isArray(value) ? value : [value];
  return items.map((item, i) => readEntity(code, item, `${parent}/${code}[${i + 1}]`));
}

function readEntity(code: string, value: unknown, path: string): AfdEntity {
  const attributes: Record<string, string> = {};
  const children: AfdEntity[] = [];
  if (value === '') return { code, attributes, children };
  if (!isNode(value)) throw new AfdError(AfdErrorType.UnexpectedContent, `AFD entity ${code} at ${path} holds text instead of labels`, { path });
  for (const [key, v] of Object.entries(value)) {
    if (key.startsWith(ATTRIBUTE_PREFIX)) {
      throw new AfdError(AfdErrorType.UnexpectedContent, `AFD entity ${code} at ${path} carries an XML attribute (${clip(key.slice(2))}); AFD puts values in labels`, {
        path,
      });
    }
    if (key === TEXT_KEY) throw new AfdError(AfdErrorType.UnexpectedContent, `AFD entity ${code} at ${path} holds text next to its labels`, { path });
    if (LABEL.test(key)) {
      if (Array.isArray(v)) throw new AfdError(AfdErrorType.DuplicateLabel, `AFD label ${key} occurs ${v.length} times in ${path}`, { path: `${path}/${key}` });
      if (typeof v !== 'string') {
        throw new AfdError(AfdErrorType.UnexpectedContent, `AFD label ${key} at ${path} holds elements or XML attributes instead of text`, {
          path: `${path}/${key}`,
        });
      }
      attributes[key] = v;
    } else if (isEntityCode(key)) {
      children.push(...readEntities(key, v, path));
    } else {
      throw unknownElement(key, path);
    }
  }
  return { code, attributes, children };
}
