/**
 * The generic model -> AFD 1.0 XML, deterministically: the same model gives the same bytes (UTF-8
 * declaration, two-space indent, labels of an entity before its child entities, both in model
 * order). The model is checked by the same structural rules the reader applies, and a value the
 * reader would not give back unchanged is refused rather than altered, so whatever is written
 * reads back equal.
 */
import { NOT_XML_CHAR, clip } from '../xml/index.js';
import { checkAfdStructure, entityPaths } from './structure.js';
import { AfdError, AfdErrorType, type AfdEntity, type AfdMessage, type AfdStructureOptions } from './types.js';

const XML_NAME = /^[A-Za-z_][A-Za-z0-9._-]{0,63}$/;
// A UTF-16 surrogate without its partner cannot be encoded as UTF-8.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function escapeText(value: string): string {
  // \r would be turned into \n by any XML reader: keep it as a character reference.
  return value.replace(/[&<>\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' })[c] ?? c);
}

function escapeAttribute(value: string): string {
  // Whitespace in attribute values is normalised by readers: keep tab, newline and CR as references.
  return value.replace(/[&<>"\t\n\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' })[c] ?? c);
}

function checkValue(value: string, path: string): void {
  if (NOT_XML_CHAR.test(value) || LONE_SURROGATE.test(value)) {
    throw new AfdError(AfdErrorType.UnwritableValue, `AFD value at ${path} holds a character XML cannot carry`, { path });
  }
  // The reader trims values (as every AFD reader we know does): surrounding blanks would not come back.
  if (value !== value.trim()) {
    throw new AfdError(AfdErrorType.UnwritableValue, `AFD value at ${path} begins or ends with whitespace (${JSON.stringify(clip(value, 40))})`, { path });
  }
}

/** Writes an AFD message as XML text (encode it as UTF-8, as its declaration says); throws AfdError for a model the reader would refuse. */
export function writeAfd(message: AfdMessage, options: AfdStructureOptions = {}): string {
  checkAfdStructure(message, options);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  let attrs = '';
  for (const [name, value] of Object.entries(message.rootAttributes)) {
    const path = `${message.kind}/@${name}`;
    if (!XML_NAME.test(name)) throw new AfdError(AfdErrorType.UnwritableValue, `AFD root attribute name ${JSON.stringify(clip(name))} is not an XML name`, { path });
    if (NOT_XML_CHAR.test(value) || LONE_SURROGATE.test(value)) {
      throw new AfdError(AfdErrorType.UnwritableValue, `AFD value at ${path} holds a character XML cannot carry`, { path });
    }
    attrs += ` ${name}="${escapeAttribute(value)}"`;
  }
  out.push(`<${message.kind}${attrs}>\n`);
  const paths = entityPaths(message.kind, message.entities);
  message.entities.forEach((e, i) => writeEntity(out, e, paths[i] as string, 1));
  out.push(`</${message.kind}>\n`);
  return out.join('');
}

/** `writeAfd` encoded as UTF-8 bytes. */
export function writeAfdUtf8(message: AfdMessage, options: AfdStructureOptions = {}): Uint8Array {
  return new TextEncoder().encode(writeAfd(message, options));
}

function writeEntity(out: string[], entity: AfdEntity, path: string, depth: number): void {
  const pad = '  '.repeat(depth);
  out.push(`${pad}<${entity.code}>\n`);
  for (const [label, value] of Object.entries(entity.attributes)) {
    checkValue(value, `${path}/${label}`);
    out.push(`${pad}  <${label}>${escapeText(value)}</${label}>\n`);
  }
  const paths = entityPaths(path, entity.children);
  entity.children.forEach((c, i) => writeEntity(out, c, paths[i] as string, depth + 1));
  out.push(`${pad}</${entity.code}>\n`);
}
