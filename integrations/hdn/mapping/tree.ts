/**
 * Reads our fields out of a parsed HDN document (integrations/xml's object form) and writes them
 * back, driven only by a mapping (load.ts). Pure: no I/O.
 *
 * Unknown elements are kept: reading removes the mapped leaves from a copy of the tree and
 * returns what is left as `rest` (containers emptied by that removal disappear); writing starts
 * from `rest` and puts the mapped values back at their paths. So `write(read(doc))` holds the
 * same elements as `doc` (element order aside, see the design doc).
 *
 * Codes not on the version's list (or unverified ones the office did not enable) are recorded
 * in `codes` and kept as sent: never a refusal. A missing required field, or a value that does
 * not fit its kind, is refused with an HdnError naming the element path.
 */
import { ATTRIBUTE_PREFIX, NOT_XML_CHAR, TEXT_KEY, decodeRawText } from '../../xml/index.js';
import { invalid } from '../xml-fields.js';
import type { CodeStatus, HdnMapping } from './load.js';
import { hdnMappedMessageTypes, type FieldMapping, type HdnMappedMessageType } from './schema.js';
import { fromText, toText } from './values.js';

/** A field's value: one leaf, or the lines of a repeated text leaf. */
export type MappedValue = string | number | boolean | readonly string[];
type Tree = Record<string, unknown>;
export type MappedFields = Record<string, MappedValue>;

/** A code read from a message that the version does not know as verified. */
export interface CodeObservation {
  /** "header.x", "statusCode", "loanParts[2].repaymentType". */
  field: string;
  /** Element path, e.g. "SX/Status/AXBerichtStatusSpecificatie/StatusAXBericht". */
  element: string;
  list: string;
  code: string;
  status: Exclude<CodeStatus, 'known'>;
}

export interface MappedGroupItem {
  fields: MappedFields;
  /** Unknown elements of this occurrence, verbatim. */
  rest?: Tree;
}

export interface MappedMessage {
  type: HdnMappedMessageType;
  /** The mapping version it was read with (or is to be written with). */
  version: string;
  header: MappedFields;
  fields: MappedFields;
  groups: Record<string, MappedGroupItem[]>;
  /** Unknown and unverified codes seen while reading (empty when writing). */
  codes: CodeObservation[];
  /** Unknown elements under the root, verbatim. */
  rest?: Tree;
}

function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isElementKey(key: string): boolean {
  return key !== TEXT_KEY && !key.startsWith(ATTRIBUTE_PREFIX);
}

/** The message type whose root element the document has (root names are unique per type in practice). */
export function detectMappedMessageType(mapping: HdnMapping, document: Tree): HdnMappedMessageType {
  const roots = Object.keys(document);
  const matches = hdnMappedMessageTypes.filter((t) => roots.length === 1 && mapping.data.messages[t].root === roots[0]);
  if (matches.length === 1) return matches[0] as HdnMappedMessageType;
  if (matches.length === 0) throw invalid(roots[0] ?? '/', `is not the root of an HDN ${mapping.version} message`);
  // Same root for several types: the header's BerichtSoort decides.
  const root = document[roots[0] as string];
  const soort = isTree(root) && isTree(root.Header) ? root.Header.BerichtSoort : undefined;
  const byHeader = matches.find((t) => t === soort);
  if (byHeader === undefined) throw invalid(`${roots[0]}/Header/BerichtSoort`, `must say which of ${matches.join(', ')} this is`);
  return byHeader;
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

export function readMappedMessage(mapping: HdnMapping, type: HdnMappedMessageType, document: Tree): MappedMessage {
  const spec = mapping.data.messages[type];
  const rootValue = document[spec.root];
  if (rootValue === undefined || Object.keys(document).length !== 1) {
    throw invalid(spec.root, `is not the root of this document (an HDN ${mapping.version} ${type} has the single root <${spec.root}>)`);
  }
  if (rootValue !== '' && !isTree(rootValue)) throw invalid(spec.root, 'must contain elements');
  const rest: Tree = structuredClone(isTree(rootValue) ? rootValue : {});
  const codes: CodeObservation[] = [];
  const header = readFields(mapping, mapping.data.header.fields, rest, spec.root, 'header.', codes);
  const fields = readFields(mapping, spec.fields, rest, spec.root, '', codes);
  const groups: Record<string, MappedGroupItem[]> = {};
  for (const [name, group] of Object.entries(spec.groups ?? {})) {
    const occurrences = takeAll(rest, group.path.split('/'), `${spec.root}/${group.path}`);
    groups[name] = occurrences.map((item, i) => {
      const path = `${spec.root}/${group.path}${occurrences.length > 1 ? `[${i + 1}]` : ''}`;
      if (item !== '' && !isTree(item)) throw invalid(path, 'must contain elements');
      const itemRest: Tree = isTree(item) ? item : {};
      const itemFields = readFields(mapping, group.fields, itemRest, path, `${name}[${i + 1}].`, codes);
      return Object.keys(itemRest).length > 0 ? { fields: itemFields, rest: itemRest } : { fields: itemFields };
    });
  }
  const message: MappedMessage = { type, version: mapping.version, header, fields, groups, codes };
  if (Object.keys(rest).length > 0) message.rest = rest;
  return message;
}

/** Reads each field from `tree`, removing what it read. */
function readFields(mapping: HdnMapping, specs: Record<string, FieldMapping>, tree: Tree, base: string, prefix: string, codes: CodeObservation[]): MappedFields {
  const out: MappedFields = {};
  for (const [name, spec] of Object.entries(specs)) {
    const element = `${base}/${spec.path}`;
    if (spec.repeated === true) {
      const lines = takeLeaves(tree, spec.path.split('/'), element).filter((line) => line !== '');
      if (lines.length > 0) out[name] = lines;
      else if (spec.required === true) throw invalid(element, 'is missing');
      continue;
    }
    const text = spec.kind === 'base64' ? rawLeaf(takeLeaf(tree, spec.path.split('/'), element), element) : takeLeaf(tree, spec.path.split('/'), element);
    if (text === undefined || text === '') {
      // An empty optional element counts as absent (as in the codec today).
      if (spec.required === true) throw invalid(element, text === undefined ? 'is missing' : 'is empty');
      continue;
    }
    const result = fromText(spec.kind, text);
    if ('problem' in result) throw invalid(element, result.problem);
    out[name] = result.value;
    if (spec.kind === 'code' && spec.codeList !== undefined) {
      const { status } = mapping.code(spec.codeList, text);
      if (status !== 'known') codes.push({ field: `${prefix}${name}`, element, list: spec.codeList, code: text, status });
    }
  }
  return out;
}

/**
 * A base64 leaf the parser handed over raw (see rawTextElementsFor): CDATA unwrapped, comments
 * dropped, references decoded. Text the parser already decoded passes unchanged (base64 has no
 * `<` or `&`), so this works whether or not the caller asked for raw text.
 */
function rawLeaf(raw: string | undefined, element: string): string | undefined {
  if (raw === undefined) return undefined;
  const text = decodeRawText(raw);
  if (text === undefined) throw invalid(element, 'must be a text value, not contain elements');
  if (typeof text !== 'string') throw invalid(element, text.problem);
  return text.trim();
}

/**
 * The parser's `rawTextElements` for one message type: every base64 leaf, in fast-xml-parser's
 * dotted form ("OX.PrintDoc.EncodedData"). Megabytes of base64 are slow in its text reader.
 */
export function rawTextElementsFor(mapping: HdnMapping, type: HdnMappedMessageType): string[] {
  const spec = mapping.data.messages[type];
  const dotted = (...paths: string[]) => [spec.root, ...paths].join('/').replaceAll('/', '.');
  const out = Object.values(spec.fields).filter((f) => f.kind === 'base64').map((f) => dotted(f.path));
  for (const group of Object.values(spec.groups ?? {})) {
    for (const field of Object.values(group.fields)) if (field.kind === 'base64') out.push(dotted(group.path, field.path));
  }
  return out;
}

/** Removes the leaf at `names` from `tree` and returns its text; containers it empties go too. */
function takeLeaf(tree: Tree, names: readonly string[], element: string): string | undefined {
  const [first, ...more] = names as [string, ...string[]];
  if (!Object.hasOwn(tree, first)) return undefined;
  const value = tree[first];
  if (Array.isArray(value)) throw invalid(element, `must occur once (<${first}> occurs ${value.length} times)`);
  if (more.length === 0) {
    const text = leafText(value, element);
    delete tree[first];
    return text;
  }
  if (value === '') return undefined;
  if (!isTree(value)) throw invalid(element, `cannot be read: <${first}> holds text, not elements`);
  const text = takeLeaf(value, more, element);
  if (Object.keys(value).length === 0) delete tree[first];
  return text;
}

function leafText(value: unknown, element: string): string {
  if (typeof value === 'string') return value.trim();
  if (isTree(value) && Object.keys(value).every((k) => !isElementKey(k))) {
    const t = value[TEXT_KEY];
    return typeof t === 'string' ? t.trim() : '';
  }
  throw invalid(element, 'must be a text value, not contain elements');
}

/** Removes every occurrence of a repeatable leaf and returns their texts, in document order. */
function takeLeaves(tree: Tree, names: readonly string[], element: string): string[] {
  return takeAll(tree, names, element).map((value, i, all) => leafText(value, all.length > 1 ? `${element}[${i + 1}]` : element));
}

/** Removes every occurrence of the (repeatable) element at `names`; earlier steps must occur once. */
function takeAll(tree: Tree, names: readonly string[], element: string): unknown[] {
  const [first, ...more] = names as [string, ...string[]];
  if (!Object.hasOwn(tree, first)) return [];
  const value = tree[first];
  if (more.length === 0) {
    delete tree[first];
    return Array.isArray(value) ? value : [value];
  }
  // Occurrences under a repeated container cannot be numbered by our paths: refuse, never skip.
  if (Array.isArray(value)) throw invalid(element, `cannot be read: <${first}> occurs ${value.length} times`);
  if (value === '') return [];
  if (!isTree(value)) throw invalid(element, `cannot be read: <${first}> holds text, not elements`);
  const items = takeAll(value, more, element);
  if (Object.keys(value).length === 0) delete tree[first];
  return items;
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

/**
 * The object form of `message` under `mapping` (give it to the XML builder). Values are
 * checked against their kind; a required field that is absent, or a mapped element that `rest`
 * also holds, is refused with its path.
 *
 * Order: in each container the mapped elements come first, in data-file order, and the kept
 * unknown elements after them (as the legacy codec wrote `extra`). Member XSDs use sequences,
 * so a message of ours starts with `Header/VerzenderNrHDN` whatever the caller kept.
 */
export function writeMappedMessage(mapping: HdnMapping, message: MappedMessage): Tree {
  const spec = mapping.data.messages[message.type];
  const root: Tree = {};
  writeFields(mapping.data.header.fields, message.header, root, spec.root);
  writeFields(spec.fields, message.fields, root, spec.root);
  const rest = message.rest ?? {};
  for (const [name, group] of Object.entries(spec.groups ?? {})) {
    const items = message.groups[name] ?? [];
    if (items.length === 0) continue;
    const names = group.path.split('/');
    if (hasPath(rest, names)) throw invalid(`${spec.root}/${group.path}`, 'is mapped and may not also appear in rest');
    const elements = items.map((item, i) => {
      const where = `${spec.root}/${group.path}${items.length > 1 ? `[${i + 1}]` : ''}`;
      const element: Tree = {};
      writeFields(group.fields, item.fields, element, where);
      mergeRest(element, item.rest ?? {}, where);
      return element;
    });
    const parent = containerAt(root, names.slice(0, -1), `${spec.root}/${group.path}`);
    const last = names[names.length - 1] as string;
    parent[last] = elements.length === 1 ? elements[0] : elements;
  }
  for (const name of Object.keys(message.groups)) {
    if (!Object.hasOwn(spec.groups ?? {}, name)) throw invalid(spec.root, `has no group "${name}" in HDN ${mapping.version}`);
  }
  mergeRest(root, rest, spec.root);
  return { [spec.root]: root };
}

function hasPath(tree: Tree, names: readonly string[]): boolean {
  const [first, ...more] = names as [string, ...string[]];
  if (!Object.hasOwn(tree, first)) return false;
  if (more.length === 0) return true;
  const value = tree[first];
  return isTree(value) && hasPath(value, more);
}

/**
 * Adds the kept unknown elements after the mapped ones. A container both sides hold (Header,
 * Lening) is merged; a mapped leaf that rest also holds is refused (it would be sent twice).
 */
function mergeRest(tree: Tree, rest: Tree, base: string): void {
  for (const [key, value] of Object.entries(structuredClone(rest))) {
    if (!Object.hasOwn(tree, key)) {
      tree[key] = value;
      continue;
    }
    const mine = tree[key];
    if (isElementKey(key) && isTree(mine) && (isTree(value) || value === '')) {
      // An empty container in rest (`<Header/>`) adds nothing.
      if (isTree(value)) mergeRest(mine, value, `${base}/${key}`);
      continue;
    }
    throw invalid(`${base}/${key}`, 'is mapped and may not also appear in rest');
  }
}

function writeFields(specs: Record<string, FieldMapping>, values: MappedFields, tree: Tree, base: string): void {
  for (const name of Object.keys(values)) {
    // A field this version does not map would be silently dropped: refuse instead.
    if (!Object.hasOwn(specs, name)) throw invalid(base, `has no field "${name}" in this mapping`);
  }
  for (const [name, spec] of Object.entries(specs)) {
    const element = `${base}/${spec.path}`;
    const value = values[name];
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) {
      if (spec.required === true) throw invalid(element, 'is missing');
      continue;
    }
    const names = spec.path.split('/');
    const parent = containerAt(tree, names.slice(0, -1), element);
    const last = names[names.length - 1] as string;
    if (spec.repeated === true) {
      if (!Array.isArray(value) || !value.every((line) => typeof line === 'string')) throw invalid(element, `must be a list of texts, got ${JSON.stringify(value)}`);
      const lines = value.map((line: string, i) => leafToWrite(line, value.length > 1 ? `${element}[${i + 1}]` : element));
      parent[last] = lines.length === 1 ? lines[0] : lines;
      continue;
    }
    if (Array.isArray(value)) throw invalid(element, 'occurs once: a list cannot be written here');
    const result = toText(spec.kind, value as string | number | boolean);
    if ('problem' in result) throw invalid(element, result.problem);
    parent[last] = leafToWrite(result.text, element);
  }
}

/** XML cannot carry these at all, not even escaped; better to refuse than to send broken XML. */
function leafToWrite(text: string, element: string): string {
  if (NOT_XML_CHAR.test(text)) throw invalid(element, 'contains a control character XML cannot carry');
  return text;
}

/** The container at `names` under `tree`, created when absent. */
function containerAt(tree: Tree, names: readonly string[], element: string): Tree {
  let node = tree;
  for (const name of names) {
    const value = node[name];
    if (value === undefined || value === '') node[name] = {};
    else if (!isTree(value)) throw invalid(element, `cannot be written: <${name}> is not a single container`);
    node = node[name] as Tree;
  }
  return node;
}
