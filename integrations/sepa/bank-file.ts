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
  const timeoutMs = bankFileBudgetMs(typeof xml === 'string' ? xml.length : xml.byteLength);
  return pool.run<ReadBankFile>({ module: import.meta.url, fn: 'readBankFile', args: limits ? [xml, limits] : [xml], timeoutMs }, reviveSepaError);
}

/**
 * Reading time allowed per MiB of a bank file. A camt.053 with a TxDtls per collection is about
 * 700 bytes a collection: 20 MiB (the body ceiling) is some 28,000 collections, read and hashed
 * in 2-3 s by one pool thread on a busy 2-core machine, more than the pool's default budget of
 * 3 s allows for hostile bodies; 400 ms/MiB leaves room (8 s for 20 MiB). It is time of a pool
 * thread, not of the event loop.
 */
export const BANK_FILE_MS_PER_MIB = 400;

/** The pool budget for a bank file of `bytes` (the pool's own budget is the floor). */
export function bankFileBudgetMs(bytes: number): number {
  return Math.ceil(bytes / (1024 * 1024)) * BANK_FILE_MS_PER_MIB;
}
