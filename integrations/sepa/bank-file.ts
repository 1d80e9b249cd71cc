/**
 * A bank file as the office uploads it: a camt.053/.054 (one or several Stmt/Ntfctn) or a
 * pain.002 status report, told apart by the root namespace, read with its identity (SHA-256 of
 * its bytes; of the UTF-8 of a string) in one pass that can run in a thread of the XML pool.
 */
import { createHash } from 'node:crypto';
import type { XmlParsePool } from '../xml/index.js';
import { parseCamtStatements, reviveSepaError } from './camt.js';
import { looksLikePain002, parsePain002 } from './pain002.js';
import type { BankStatement, PaymentStatusReport, SepaParseLimits } from './types.js';

export type BankFile = { kind: 'camt'; statements: BankStatement[] } | { kind: 'pain.002'; report: PaymentStatusReport };

export interface ReadBankFile {
  sha256: string;
  file: BankFile;
}

/** The namespace sits in the first element: the head of the bytes is enough to tell the kinds apart. */
function head(xml: string | Uint8Array): string {
  return typeof xml === 'string' ? xml.slice(0, 4096) : new TextDecoder().decode(xml.subarray(0, 4096));
}

export function readBankFile(xml: string | Uint8Array, limits?: Partial<SepaParseLimits>): ReadBankFile {
  const file: BankFile = looksLikePain002(head(xml))
    ? { kind: 'pain.002', report: parsePain002(xml, limits) }
    : { kind: 'camt', statements: parseCamtStatements(xml, limits) };
  return { sha256: createHash('sha256').update(xml).digest('hex'), file };
}

/**
 * `readBankFile` in a thread of the XML pool (the API's path for uploaded bank files): the same
 * result or SepaError; XmlPoolError when the pool failed it. Hashing megabytes is off the event
 * loop as well.
 */
export function readBankFileOffThread(pool: XmlParsePool, xml: string | Uint8Array, limits?: Partial<SepaParseLimits>): Promise<ReadBankFile> {
  return pool.run<ReadBankFile>({ module: import.meta.url, fn: 'readBankFile', args: limits ? [xml, limits] : [xml] }, reviveSepaError);
}
