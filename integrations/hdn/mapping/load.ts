/**
 * Loads and checks an HDN mapping data file. Every problem names the file and the JSON path
 * ("versions/24.0.json: /messages/SX/fields/statusCode/codeList names no code list \"x\""),
 * because the people who add a version edit JSON, not code.
 *
 * Two passes: the TypeBox schema (shape), then the rules a schema cannot say (a code field
 * names an existing list, no code twice in a list, no two fields on one element).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Value } from '@sinclair/typebox/value';
import { HdnMappingFileSchema, hdnMappedMessageTypes, type CodeEntry, type FieldMapping, type HdnMappingFile } from './schema.js';

export class HdnMappingError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file}: ${problems.join('; ')}`);
    this.name = 'HdnMappingError';
  }
}

/** How a code read from a message relates to the version's code list. */
export type CodeStatus = 'known' | 'unverified' | 'unknown';

export interface HdnMappingOptions {
  /**
   * Unverified codes the office accepts as known, per code list: `{ sxStatus: ['31'] }`. An
   * unverified code not listed here is read like an unknown one (recorded with the message).
   */
  enabledUnverifiedCodes?: Readonly<Record<string, readonly string[]>>;
}

/** A checked mapping, ready for the reader/writer. */
export interface HdnMapping {
  readonly file: string;
  readonly version: string;
  readonly data: Readonly<HdnMappingFile>;
  /** The entry for a code, or undefined; `status` says whether it counts as known. */
  code(list: string, code: string): { entry?: Readonly<CodeEntry>; status: CodeStatus };
}

/** The folder that holds one data file per supported HDN version. */
export const hdnMappingVersionsDir = join(dirname(fileURLToPath(import.meta.url)), 'versions');

/** Loads `versions/<version>.json` (or any file given by path). */
export function loadHdnMapping(versionOrFile: string, options: HdnMappingOptions = {}): HdnMapping {
  const file = versionOrFile.endsWith('.json') ? versionOrFile : join(hdnMappingVersionsDir, `${versionOrFile}.json`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new HdnMappingError(file, [`cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`]);
  }
  const mapping = parseHdnMapping(text, file, options);
  const expected = basename(file, '.json');
  // The file name is how a version is found; a mismatch would load the wrong version silently.
  if (/^[0-9]+\.[0-9]+$/.test(expected) && mapping.version !== expected) {
    throw new HdnMappingError(file, [`/hdnVersion is "${mapping.version}" but the file is named for ${expected}`]);
  }
  return mapping;
}

/** Checks the text of a data file; `file` names it in errors. */
export function parseHdnMapping(text: string, file: string, options: HdnMappingOptions = {}): HdnMapping {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new HdnMappingError(file, [`is not valid JSON: ${(error as Error).message}`]);
  }
  const shapeProblems = [...Value.Errors(HdnMappingFileSchema, json)].slice(0, 10).map((e) => `${e.path || '/'} ${e.message}`);
  if (shapeProblems.length > 0) throw new HdnMappingError(file, shapeProblems);
  const data = json as HdnMappingFile;
  const problems = checkRules(data, options);
  if (problems.length > 0) throw new HdnMappingError(file, problems);
  return buildMapping(file, data, options);
}

function checkRules(data: HdnMappingFile, options: HdnMappingOptions): string[] {
  const problems: string[] = [];
  const checkFields = (where: string, fields: Record<string, FieldMapping>, taken: Map<string, string>, prefix: string) => {
    for (const [name, field] of Object.entries(fields)) {
      const at = `${where}/fields/${name}`;
      if (field.kind === 'code') {
        if (field.codeList === undefined) problems.push(`${at} is a code but names no codeList`);
        else if (!Object.hasOwn(data.codeLists, field.codeList)) problems.push(`${at}/codeList names no code list "${field.codeList}"`);
      } else if (field.codeList !== undefined) {
        problems.push(`${at}/codeList is only for kind "code", this field is "${field.kind}"`);
      }
      if (field.repeated === true && field.kind !== 'text') problems.push(`${at}/repeated is only for kind "text", this field is "${field.kind}"`);
      const full = prefix + field.path;
      const other = taken.get(full);
      if (other !== undefined) problems.push(`${at}/path "${full}" is also the path of ${other}`);
      taken.set(full, at);
    }
  };
  for (const type of hdnMappedMessageTypes) {
    const message = data.messages[type];
    const taken = new Map<string, string>();
    checkFields('/header', data.header.fields, taken, '');
    checkFields(`/messages/${type}`, message.fields, taken, '');
    for (const [groupName, group] of Object.entries(message.groups ?? {})) {
      const groupAt = `/messages/${type}/groups/${groupName}`;
      const other = taken.get(group.path);
      if (other !== undefined) problems.push(`${groupAt}/path "${group.path}" is also the path of ${other}`);
      taken.set(group.path, groupAt);
      checkFields(groupAt, group.fields, new Map(), '');
    }
    // A field inside a group's element would be read twice (once as a field, once in the group).
    for (const [full, at] of taken) {
      for (const [groupName, group] of Object.entries(message.groups ?? {})) {
        if (full.startsWith(`${group.path}/`)) problems.push(`${at} lies inside group ${groupName} (${group.path}); map it in the group`);
      }
    }
  }
  for (const [listName, list] of Object.entries(data.codeLists)) {
    const seen = new Set<string>();
    list.codes.forEach((entry, i) => {
      if (seen.has(entry.code)) problems.push(`/codeLists/${listName}/codes/${i}/code "${entry.code}" occurs more than once`);
      seen.add(entry.code);
    });
  }
  for (const [listName, codes] of Object.entries(options.enabledUnverifiedCodes ?? {})) {
    const list = data.codeLists[listName];
    for (const code of codes) {
      const entry = list?.codes.find((c) => c.code === code);
      // Enabling what is not there is a typo in the office's configuration: say so now.
      if (entry === undefined) problems.push(`option enabledUnverifiedCodes.${listName} names "${code}", which is not in /codeLists/${listName}`);
      else if (entry.unverified !== true) problems.push(`option enabledUnverifiedCodes.${listName} names "${code}", which is not marked unverified`);
    }
  }
  return problems;
}

function buildMapping(file: string, data: HdnMappingFile, options: HdnMappingOptions): HdnMapping {
  const lists = new Map<string, Map<string, Readonly<CodeEntry>>>();
  for (const [name, list] of Object.entries(data.codeLists)) {
    lists.set(name, new Map(list.codes.map((entry) => [entry.code, Object.freeze({ ...entry })])));
  }
  const enabled = new Set(Object.entries(options.enabledUnverifiedCodes ?? {}).flatMap(([list, codes]) => codes.map((c) => `${list}\u0000${c}`)));
  return Object.freeze({
    file,
    version: data.hdnVersion,
    data,
    code(list: string, code: string) {
      const entry = lists.get(list)?.get(code);
      if (entry === undefined) return { status: 'unknown' as const };
      if (entry.unverified === true && !enabled.has(`${list}\u0000${code}`)) return { entry, status: 'unverified' as const };
      return { entry, status: 'known' as const };
    },
  });
}

/** "24.0" -> [24, 0], for ordering versions (string order would put "100.0" before "24.0"). */
function versionParts(version: string): [number, number] {
  const [major = '0', minor = '0'] = version.split('.');
  return [Number(major), Number(minor)];
}

function compareVersions(a: string, b: string): number {
  const [am, an] = versionParts(a);
  const [bm, bn] = versionParts(b);
  return am - bm || an - bn;
}

/** The versions that have a data file in `dir`, oldest first. */
export function availableHdnVersions(dir = hdnMappingVersionsDir): string[] {
  return readdirSync(dir)
    .map((name) => /^([0-9]+\.[0-9]+)\.json$/.exec(name)?.[1])
    .filter((v): v is string => v !== undefined)
    .sort(compareVersions);
}

/**
 * The mapping for a message's BerichtVersie. REFERENCE: a message with an unknown NEWER version
 * is still processed, so it is read with the newest file we have and `exact` is false (the
 * caller records that). An unknown older version has no reading we could defend: refused.
 */
export function hdnMappingFor(messageVersion: string, options: HdnMappingOptions & { dir?: string } = {}): { mapping: HdnMapping; exact: boolean } {
  const dir = options.dir ?? hdnMappingVersionsDir;
  const versions = availableHdnVersions(dir);
  if (!/^[0-9]+\.[0-9]+$/.test(messageVersion)) {
    throw new HdnMappingError(dir, [`message version ${JSON.stringify(messageVersion)} is not a version like "24.0"`]);
  }
  if (versions.includes(messageVersion)) return { mapping: loadHdnMapping(join(dir, `${messageVersion}.json`), options), exact: true };
  const newest = versions[versions.length - 1];
  if (newest !== undefined && compareVersions(messageVersion, newest) > 0) {
    return { mapping: loadHdnMapping(join(dir, `${newest}.json`), options), exact: false };
  }
  throw new HdnMappingError(dir, [`no mapping for HDN ${messageVersion} (have ${versions.join(', ') || 'none'})`]);
}
