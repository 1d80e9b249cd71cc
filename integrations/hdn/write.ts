/**
 * Writing what WE send (AX to a lender, DX against a DA line) in the public HDN shape
 * (docs/design/hdn-mapping.md): domain message -> typed builder (mapping/builders.ts) ->
 * MappedMessage -> writeMappedMessage (data file of the version) -> XML text.
 *
 *   buildPublicHdn(message, options?) -> XML          AX or DX, header inside the message
 *   publicHdnWriteVersion(requested, options?)        the data file's version we write for a request
 *
 * The result is read back with readHdnMessage before it is returned, so we never send what we
 * would refuse to receive (as the legacy buildHdn does). The legacy `<HDN>` builder (codec.ts)
 * stays only for rewriting stored legacy rows (anonymisation).
 */
import { join } from 'node:path';
import { applicationToMapped, documentDeliveryToMapped } from './mapping/builders.js';
import { availableHdnVersions, hdnMappingFor, hdnMappingVersionsDir, loadHdnMapping, type HdnMapping } from './mapping/load.js';
import { writeMappedMessage } from './mapping/tree.js';
import { readHdnMessage } from './read.js';
import type { HdnApplication, HdnDocumentDelivery } from './types.js';
import { hdnXmlText } from './xml-fields.js';



export interface HdnWriteOptions {
  /** Folder of data files (default: mapping/versions). Tests point it at test-only versions. */
  mappingDir?: string;
}

/**
 * The version whose data file we write a message with, for a requested BerichtVersie: that
 * version when we have its file, else the newest we have. We can only write a structure we
 * know, and BerichtVersie must name the structure sent, so callers put the result in the header.
 */
export function publicHdnWriteVersion(requested: string, options: HdnWriteOptions = {}): string {
  return mappingToWrite(requested, options).version;
}

function mappingToWrite(requested: string, options: HdnWriteOptions): HdnMapping {
  const dir = options.mappingDir ?? hdnMappingVersionsDir;
  const versions = availableHdnVersions(dir);
  if (versions.includes(requested)) return hdnMappingFor(requested, { dir }).mapping;
  const newest = versions[versions.length - 1];
  if (newest === undefined) throw new Error(`no HDN mapping data file in ${dir}`);
  return loadHdnMapping(join(dir, `${newest}.json`));
}

/**
 * The public-shape XML of an AX or DX, written with the data file of its header's
 * BerichtVersie, or the newest one when we have none for it (a stored message read with the
 * newest file is rewritten the same way; new messages set the version from
 * publicHdnWriteVersion so it names the structure sent). Throws HdnError
 * Invalid with the element path for anything the version cannot carry.
 */
export function buildPublicHdn(message: HdnApplication | HdnDocumentDelivery, options: HdnWriteOptions = {}): string {
  const dir = options.mappingDir ?? hdnMappingVersionsDir;
  const mapping = mappingToWrite(message.header.messageVersion, options);
  const mapped = message.type === 'AX' ? applicationToMapped(mapping, message) : documentDeliveryToMapped(mapping, message);
  const xml = hdnXmlText(writeMappedMessage(mapping, mapped));
  // No size limit here (the caller decides what it sends); every other check applies.
  readHdnMessage(xml, { maxBytes: Number.MAX_SAFE_INTEGER }, { mappingDir: dir });
  return xml;
}
