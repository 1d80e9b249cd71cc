/**
 * XSD validation of HDN and AFD messages against the schemas an office drops in a folder
 * (XSD_DIR_HDN, XSD_DIR_AFD): HDN's member XSDs and RISK's AFD definition are not public, so we
 * cannot ship them; when an office has them, every message is checked against them.
 *
 *   const set = loadXsdFolder(dir)                 every *.xsd under dir, compiled once
 *   validateXml(set, bytes, { label, limits })     -> XsdValidationResult (plain data)
 *   validateXmlOffThread(pool, dir, bytes, opts)   the same in a thread of the XmlParsePool
 *   xsdFailureReason(result)                       the validator's words, clipped, for a parked message
 *
 * Engine: libxml2 compiled to WebAssembly (libxml2-wasm), so no native build. Chosen over
 * xmllint-wasm because a schema is compiled once and reused (xmllint-wasm starts a new
 * WebAssembly instance in a new thread and re-reads every XSD on every call), imports and
 * includes are resolved through an in-memory input provider we control, and errors come back
 * structured (message, line, XPath) instead of as parsed command-line output.
 *
 * Hardened-XML rules (integrations/xml/parse.ts) apply before libxml2 sees a message: size and
 * UTF-8 first, then the lexer (no DOCTYPE, ENTITY or PI, depth, element/attribute/text counts).
 * libxml2 then parses with NONET and NO_XXE and without NOENT: no entity substitution, no DTD,
 * nothing loaded from outside. Schemas may only import/include files of the same folder (or a
 * remote schemaLocation whose file name is in the folder, e.g. xml.xsd): nothing else is read.
 *
 * libxml2 is synchronous: validateXml blocks the thread it runs on for the parse and the
 * validation, hence validateXmlOffThread for the API (time budget and heap limit of the pool).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  ParseOption,
  XmlDocument,
  XmlElement,
  XmlLibError,
  XsdValidator,
  xmlRegisterInputProvider,
  type ErrorDetail,
  type XmlInputProvider,
} from 'libxml2-wasm';
import { XmlError } from './errors.js';
import { clip, decodeXmlInput, scanXml } from './lexer.js';
import { defaultXmlLimits, resolveXmlLimits, type XmlLimits } from './parse.js';
import type { XmlParsePool } from './pool.js';

/** Bounds on what a schema folder may hold: an office's folder, but read into memory. */
export const XSD_FOLDER_LIMITS = Object.freeze({ maxFiles: 500, maxFileBytes: 5 * 1024 * 1024, maxTotalBytes: 50 * 1024 * 1024, maxDepth: 4 });
/** At most this many validator messages are kept per result; each is clipped to MESSAGE_CHARS. */
export const MAX_REPORTED_ISSUES = 20;
const MESSAGE_CHARS = 300;
/** A parked message's reason is clipped to this many characters (the full list stays in the result). */
export const REASON_CHARS = 1000;

/**
 * libxml2 parse options: never the network, never external entities or DTDs; HUGE only lifts
 * libxml2's own 10 MB text-node cap (base64 PDFs), our size limit was checked before; BIG_LINES
 * keeps line numbers right past 65535.
 */
const PARSE_OPTIONS = ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE | ParseOption.XML_PARSE_HUGE | ParseOption.XML_PARSE_BIG_LINES;

/** One message of the validator (or of the parser / hardened reader before it). */
export interface XsdIssue {
  /** 1-based; absent when libxml2 gave none. */
  line?: number;
  /** 1-based; libxml2 gives columns for parse errors only, not for validation errors. */
  column?: number;
  /** The node at fault as libxml2 names it ("/*\/*[2]"), when known. */
  xpath?: string;
  /** Clipped to 300 characters. */
  message: string;
}

/** The root element a message was matched on. */
export interface XsdRoot {
  localName: string;
  /** Empty string: no namespace. */
  namespace: string;
}

export type XsdValidationResult =
  /** Valid against `schema` (file name relative to the folder). */
  | { status: 'valid'; schema: string; root: XsdRoot }
  /**
   * Not valid: against `schema`, or before any schema (`schema` absent: refused by the hardened
   * reader or not well-formed). `issues` holds at most MAX_REPORTED_ISSUES; `more` counts the rest.
   */
  | { status: 'invalid'; schema?: string; root?: XsdRoot; issues: XsdIssue[]; more: number }
  /**
   * Could not be checked: no schema in the folder declares this root, or the schema that does
   * could not be compiled, or the folder could not be read. Says nothing about the message.
   */
  | { status: 'unchecked'; root?: XsdRoot; reason: string };

/** A problem with one file of the folder (reported at load; the other files still work). */
export interface XsdLoadProblem {
  file: string;
  message: string;
}

interface CompiledSchema {
  /** Relative to the folder, with forward slashes. */
  file: string;
  targetNamespace: string;
  /** Local names of the global elements declared in this file. */
  elements: string[];
  /** Undefined when it did not compile (see the set's problems). */
  validator: XsdValidator | undefined;
  /** Why it did not compile. */
  error?: string;
}

export interface XsdSet {
  dir: string;
  schemas: readonly CompiledSchema[];
  problems: readonly XsdLoadProblem[];
}

/** A plain summary of a loaded folder, for the start-up log and for tests (structured-cloneable). */
export interface XsdFolderSummary {
  dir: string;
  schemas: { file: string; targetNamespace: string; elements: string[]; compiled: boolean }[];
  problems: XsdLoadProblem[];
}

/** The folder itself cannot be used (missing, not a folder, over the bounds). */
export class XsdFolderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XsdFolderError';
  }
}

// ---------------------------------------------------------------------------------------------
// Input provider: libxml2 resolves xs:import / xs:include through it, and only through it.

/** Every schema file libxml2 may read, by absolute path (all loaded folders of this thread). */
const schemaFiles = new Map<string, Uint8Array>();
/** Per folder: file name -> absolute path, for remote schemaLocations ("http://.../xml.xsd"). */
const byBaseName = new Map<string, Map<string, string>>();
const openFiles = new Map<number, { data: Uint8Array; offset: number }>();
let nextFd = 1;
let providerRegistered = false;

function resolveSchemaFile(filename: string): string | undefined {
  const plain = filename.startsWith('file://') ? decodeURIComponent(new URL(filename).pathname) : filename;
  // libxml2 hands over the location joined to the including file's path: "sub/../types.xsd",
  // "my%20types.xsd". Normalised, it must be one of the loaded files; "../" out of the folder is not.
  for (const candidate of [plain, path.posix.normalize(plain), safeDecode(path.posix.normalize(plain))]) {
    if (candidate !== undefined && schemaFiles.has(candidate)) return candidate;
  }
  if (/^https?:\/\//i.test(filename)) {
    // A remote location is never fetched; a file of that name in a loaded folder stands in for it.
    const base = decodeURIComponent(new URL(filename).pathname.split('/').pop() ?? '');
    for (const names of byBaseName.values()) {
      const local = names.get(base);
      if (local !== undefined) return local;
    }
  }
  return undefined;
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * Matches every name so that libxml2 never falls through to another loader; names outside the
 * loaded folders fail to open ("failed to load ...": a load problem of the schema that asked).
 */
const folderOnlyProvider: XmlInputProvider = {

  match: () => true,
  open: (filename) => {
    const file = resolveSchemaFile(filename);
    const data = file === undefined ? undefined : schemaFiles.get(file);
    if (data === undefined) return undefined;
    const fd = nextFd++;
    openFiles.set(fd, { data, offset: 0 });
    return fd;
  },
  read: (fd, buf) => {
    const open = openFiles.get(fd);
    if (!open) return -1;
    const n = Math.min(buf.byteLength, open.data.byteLength - open.offset);
    buf.set(open.data.subarray(open.offset, open.offset + n));
    open.offset += n;
    return n;
  },
  close: (fd) => openFiles.delete(fd),
};

function ensureProvider(): void {
  if (providerRegistered) return;
  if (!xmlRegisterInputProvider(folderOnlyProvider)) throw new Error('libxml2: could not register the schema input provider');
  providerRegistered = true;
}

// ---------------------------------------------------------------------------------------------
// Loading a folder

function listXsdFiles(dir: string): string[] {
  let stat;
  try {
    stat = statSync(dir);
  } catch {
    throw new XsdFolderError(`Schema folder ${dir} does not exist`);
  }
  if (!stat.isDirectory()) throw new XsdFolderError(`Schema folder ${dir} is not a folder`);
  const found: string[] = [];
  const walk = (current: string, depth: number): void => {
    for (const entry of readdirSync(current, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory() && depth < XSD_FOLDER_LIMITS.maxDepth) walk(full, depth + 1);
      else if (entry.isFile() && entry.name.toLowerCase().endsWith('.xsd')) found.push(full);
      if (found.length > XSD_FOLDER_LIMITS.maxFiles) throw new XsdFolderError(`Schema folder ${dir} holds more than ${XSD_FOLDER_LIMITS.maxFiles} .xsd files`);
    }
  };
  walk(dir, 0);
  return found;
}

function detailText(details: readonly ErrorDetail[], fallback: string): string {
  const errors = details.filter((d) => d.level >= 2);
  const shown = (errors.length > 0 ? errors : details).map((d) => `${d.file ? `${path.basename(d.file)}:` : ''}${d.line > 0 ? `${d.line}: ` : ' '}${d.message.trim()}`);
  return clip(shown.length > 0 ? shown.slice(0, 5).join('; ') : fallback, 600);
}

function errorText(error: unknown): string {
  if (error instanceof XmlLibError) return detailText(error.details, error.message.trim());
  return clip(error instanceof Error ? error.message : String(error), 600);
}

/** targetNamespace and global element names of a parsed schema document. */
function declarations(doc: XmlDocument): { targetNamespace: string; elements: string[] } {
  const root = doc.root;
  const targetNamespace = root.attr('targetNamespace')?.value ?? '';
  const elements = root
    .find('xs:element', { xs: 'http://www.w3.org/2001/XMLSchema' })
    .filter((n): n is XmlElement => n instanceof XmlElement)
    .map((n) => n.attr('name')?.value)
    .filter((n): n is string => n !== undefined);
  return { targetNamespace, elements };
}

/**
 * Reads and compiles every *.xsd under `dir` (sub-folders too, 4 deep), each as a schema of its
 * own with what it imports and includes. A file that does not compile is a load problem, not an
 * exception: the others still validate. Throws XsdFolderError when the folder cannot be used.
 */
export function loadXsdFolder(dir: string): XsdSet {
  const absolute = path.resolve(dir);
  const files = listXsdFiles(absolute);
  const problems: XsdLoadProblem[] = [];
  const relative = (file: string): string => path.relative(absolute, file).split(path.sep).join('/');
  const texts = new Map<string, Uint8Array>();
  let total = 0;
  for (const file of files) {
    const size = statSync(file).size;
    if (size > XSD_FOLDER_LIMITS.maxFileBytes) {
      problems.push({ file: relative(file), message: `larger than ${XSD_FOLDER_LIMITS.maxFileBytes} bytes (${size}); not read` });
      continue;
    }
    total += size;
    if (total > XSD_FOLDER_LIMITS.maxTotalBytes) throw new XsdFolderError(`Schema folder ${absolute} holds more than ${XSD_FOLDER_LIMITS.maxTotalBytes} bytes of .xsd files`);
    const data = readFileSync(file);
    // A schema is the office's file, not a message, but entity declarations are refused all the same.
    if (/<!ENTITY/i.test(data.toString('latin1'))) {
      problems.push({ file: relative(file), message: 'declares entities (<!ENTITY>), which are refused; not read' });
      continue;
    }
    texts.set(file, new Uint8Array(data));
  }

  ensureProvider();
  // Registered before compiling anything: a schema may import one later in the listing.
  for (const [file, data] of texts) schemaFiles.set(file, data);
  byBaseName.set(absolute, new Map([...texts.keys()].map((file) => [path.basename(file), file])));

  const schemas: CompiledSchema[] = [];
  for (const [file, data] of texts) {
    let doc: XmlDocument | undefined;
    try {
      doc = XmlDocument.fromBuffer(data, { url: file, option: PARSE_OPTIONS });
    } catch (error) {
      problems.push({ file: relative(file), message: `not well-formed: ${errorText(error)}` });
      continue;
    }
    try {
      const { targetNamespace, elements } = declarations(doc);
      if (doc.root.name !== 'schema' || doc.root.namespaceUri !== 'http://www.w3.org/2001/XMLSchema') {
        problems.push({ file: relative(file), message: `not an XML Schema (root element ${doc.root.name})` });
        continue;
      }
      try {
        schemas.push({ file: relative(file), targetNamespace, elements, validator: XsdValidator.fromDoc(doc) });
      } catch (error) {
        const message = errorText(error);
        problems.push({ file: relative(file), message: `does not compile: ${message}` });
        schemas.push({ file: relative(file), targetNamespace, elements, validator: undefined, error: message });
      }
    } finally {
      doc.dispose();
    }
  }
  return { dir: absolute, schemas, problems };
}

export function summarizeXsdSet(set: XsdSet): XsdFolderSummary {
  return {
    dir: set.dir,
    schemas: set.schemas.map((s) => ({ file: s.file, targetNamespace: s.targetNamespace, elements: [...s.elements], compiled: s.validator !== undefined })),
    problems: set.problems.map((p) => ({ ...p })),
  };
}

/** Frees the compiled schemas (tests; a long-lived thread keeps its sets). */
export function disposeXsdSet(set: XsdSet): void {
  for (const schema of set.schemas) schema.validator?.dispose();
  const names = byBaseName.get(set.dir);
  for (const file of names?.values() ?? []) schemaFiles.delete(file);
  byBaseName.delete(set.dir);
}

// ---------------------------------------------------------------------------------------------
// Validating a message

export interface XsdValidateOptions {
  /** Starts the hardened reader's messages ("HDN message"). */
  label?: string;
  /** The hardened reader's limits (the codec's own: maxBytes from the route's setting). */
  limits?: Partial<XmlLimits>;
  /** Element paths exempt from maxTextLength (base64 documents), as in XmlParseOptions.longTextElements. */
  longTextElements?: readonly string[];
}

function issueOf(detail: ErrorDetail): XsdIssue {
  return {
    ...(detail.line > 0 ? { line: detail.line } : {}),
    ...(detail.col > 0 ? { column: detail.col } : {}),
    ...(detail.xpath ? { xpath: detail.xpath } : {}),
    message: clip(detail.message.trim(), MESSAGE_CHARS),
  };
}

function invalid(details: readonly ErrorDetail[], fallback: string, at: { schema?: string; root?: XsdRoot }): XsdValidationResult {
  const errors = details.filter((d) => d.level >= 2);
  const kept = (errors.length > 0 ? errors : details).map(issueOf);
  const issues = kept.length > 0 ? kept.slice(0, MAX_REPORTED_ISSUES) : [{ message: clip(fallback.trim(), MESSAGE_CHARS) }];
  return { status: 'invalid', ...at, issues, more: Math.max(0, kept.length - MAX_REPORTED_ISSUES) };
}

/**
 * Validates one message against the schema of its root element: the compiled schema whose own
 * file declares that element globally in the root's namespace. When several files declare it
 * (one XSD per message type with the same root), the message is valid if one of them accepts it,
 * and invalid with the issues of each otherwise.
 */
export function validateXml(set: XsdSet, input: string | Uint8Array, options: XsdValidateOptions = {}): XsdValidationResult {
  const label = options.label ?? 'XML document';
  const limits = resolveXmlLimits(defaultXmlLimits, options.limits, 'XML');
  let text: string;
  try {
    // Size, UTF-8 and the lexer first: libxml2 never sees a body our reader would refuse.
    text = decodeXmlInput(input, limits.maxBytes, label);
    scanXml(text, { ...limits, label, longTextPaths: [...(options.longTextElements ?? [])] });
  } catch (error) {
    if (error instanceof XmlError) {
      return { status: 'invalid', issues: [{ ...(error.line ? { line: error.line } : {}), ...(error.column ? { column: error.column } : {}), message: clip(error.message, MESSAGE_CHARS) }], more: 0 };
    }
    throw error;
  }

  let doc: XmlDocument;
  try {
    doc = XmlDocument.fromString(text, { url: 'message.xml', option: PARSE_OPTIONS });
  } catch (error) {
    if (error instanceof XmlLibError) return invalid(error.details, error.message, {});
    throw error;
  }
  try {
    const root: XsdRoot = { localName: doc.root.name, namespace: doc.root.namespaceUri ?? '' };
    const candidates = set.schemas.filter((s) => s.targetNamespace === root.namespace && s.elements.includes(root.localName));
    const where = `{${root.namespace}}${root.localName}`;
    if (candidates.length === 0) return { status: 'unchecked', root, reason: `No schema in ${set.dir} declares the root element ${where}` };
    const usable = candidates.filter((s) => s.validator !== undefined);
    if (usable.length === 0) {
      return { status: 'unchecked', root, reason: clip(`The schema for ${where} does not compile: ${candidates.map((s) => `${s.file}: ${s.error ?? ''}`).join('; ')}`, REASON_CHARS) };
    }
    const failures: XsdValidationResult[] = [];
    for (const schema of usable) {
      try {
        schema.validator!.validate(doc);
        return { status: 'valid', schema: schema.file, root };
      } catch (error) {
        if (!(error instanceof XmlLibError)) throw error;
        failures.push(invalid(error.details, error.message, { schema: schema.file, root }));
      }
    }
    if (failures.length === 1) return failures[0]!;
    // Several candidates, none accepted it: every candidate's issues, each marked with its file.
    const issues = failures.flatMap((f) => (f.status === 'invalid' ? f.issues.map((i) => ({ ...i, message: clip(`${f.schema}: ${i.message}`, MESSAGE_CHARS) })) : []));
    return { status: 'invalid', schema: usable.map((s) => s.file).join(', '), root, issues: issues.slice(0, MAX_REPORTED_ISSUES), more: Math.max(0, issues.length - MAX_REPORTED_ISSUES) };
  } finally {
    doc.dispose();
  }
}

/** The validator's words for a parked message: schema, then each issue with its line. */
export function xsdFailureReason(result: XsdValidationResult): string {
  if (result.status === 'valid') return `Valid against ${result.schema}`;
  if (result.status === 'unchecked') return clip(`Not checked against the XSDs: ${result.reason}`, REASON_CHARS);
  const lines = result.issues.map((i) => `${i.line !== undefined ? `line ${i.line}${i.column !== undefined ? `:${i.column}` : ''}: ` : ''}${i.message}`);
  const more = result.more > 0 ? ` (+${result.more} more)` : '';
  return clip(`Fails XSD validation${result.schema ? ` against ${result.schema}` : ''}: ${lines.join(' | ')}${more}`, REASON_CHARS);
}

// ---------------------------------------------------------------------------------------------
// Off the event loop: the folder is loaded once per pool thread.

const loadedFolders = new Map<string, XsdSet>();

function folderSet(dir: string): XsdSet {
  const absolute = path.resolve(dir);
  let set = loadedFolders.get(absolute);
  if (!set) {
    set = loadXsdFolder(absolute);
    loadedFolders.set(absolute, set);
  }
  return set;
}

/**
 * Pool job (runs in a thread): validates against the folder, loading it on the thread's first
 * job. A folder that cannot be used is `unchecked` with the reason (settings refuse a missing
 * folder at start; this covers one removed later). Changes to the folder need a restart.
 */
export function validateWithXsdFolder(dir: string, input: string | Uint8Array, options: XsdValidateOptions = {}): XsdValidationResult {
  let set: XsdSet;
  try {
    set = folderSet(dir);
  } catch (error) {
    if (error instanceof XsdFolderError) return { status: 'unchecked', reason: error.message };
    throw error;
  }
  return validateXml(set, input, options);
}

/** Pool job: the folder as a thread sees it, for the start-up log. */
export function describeXsdFolder(dir: string): XsdFolderSummary {
  return summarizeXsdSet(folderSet(dir));
}

/**
 * `validateWithXsdFolder` in a thread of `pool`: the time budget and heap limit of the pool
 * apply (XmlPoolError on timeout, crash or a full queue). `timeoutMs`: a longer budget for a
 * large document; the first job of each thread also compiles the folder (outside the budget only
 * for the module import, so give the first call room when the schema set is big).
 */
export function validateXmlOffThread(pool: XmlParsePool, dir: string, input: string | Uint8Array, options: XsdValidateOptions & { timeoutMs?: number } = {}): Promise<XsdValidationResult> {
  const { timeoutMs, ...validateOptions } = options;
  return pool.run<XsdValidationResult>({ module: import.meta.url, fn: 'validateWithXsdFolder', args: [dir, input, validateOptions], ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
}

/** `describeXsdFolder` in a thread of `pool` (the thread that runs it keeps the compiled folder). */
export function describeXsdFolderOffThread(pool: XmlParsePool, dir: string, timeoutMs?: number): Promise<XsdFolderSummary> {
  return pool.run<XsdFolderSummary>({ module: import.meta.url, fn: 'describeXsdFolder', args: [dir], ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
}
