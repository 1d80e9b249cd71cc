/**
 * clamd's INSTREAM protocol over TCP (clamd(8), "INSTREAM"): the command `zINSTREAM\0`, then the
 * bytes as chunks each prefixed with its length (4 bytes, big-endian), then a zero length; clamd
 * answers one NUL-terminated line: `stream: OK`, `stream: <signature> FOUND`, or `<reason> ERROR`
 * (e.g. `INSTREAM size limit exceeded. ERROR` past its StreamMaxLength, after which it closes).
 * The bytes come from an async iterable, so a file is never held whole in memory.
 */
import net from 'node:net';

/** What a scan found. */
export type ScanVerdict = { verdict: 'clean'; answer: string } | { verdict: 'infected'; signature: string; answer: string };

/** Why a scan did not give a verdict; every kind is worth retrying later except `refused`. */
export const clamdErrorKinds = ['unreachable', 'timeout', 'refused', 'protocol'] as const;
export type ClamdErrorKind = (typeof clamdErrorKinds)[number];

export class ClamdError extends Error {
  readonly kind: ClamdErrorKind;
  constructor(kind: ClamdErrorKind, message: string) {
    super(message);
    this.name = 'ClamdError';
    this.kind = kind;
  }
  /** A refusal (size limit, clamd's own ERROR) gives the same answer on a retry; the others may not. */
  get retryable(): boolean {
    return this.kind !== 'refused';
  }
}

export interface ClamdOptions {
  /** host:port (settings CLAMD_ADDRESS). */
  address: string;
  /** The whole scan, connect to answer (default 60 s). */
  timeoutMs?: number;
  /** Largest chunk sent in one length-prefixed frame (default 64 KiB; clamd's own buffers are of that order). */
  chunkBytes?: number;
}

/** Splits "host:port" and "[v6]:port". */
export function parseAddress(address: string): { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:/\s]+):(\d+)$/.exec(address);
  if (!m) throw new ClamdError('unreachable', `clamd address must be host:port, got ${JSON.stringify(address)}`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}

/** Reads clamd's answer line (without the terminating NUL or newline). */
export function parseAnswer(line: string): ScanVerdict {
  const answer = line.replace(/[\0\n]+$/, '').trim();
  if (answer === 'stream: OK') return { verdict: 'clean', answer };
  const found = /^stream: (.+) FOUND$/.exec(answer);
  if (found) return { verdict: 'infected', signature: found[1]!, answer };
  if (answer.endsWith('ERROR')) throw new ClamdError('refused', `clamd refused the scan: ${answer}`);
  throw new ClamdError('protocol', `clamd answered something unexpected: ${JSON.stringify(answer.slice(0, 200))}`);
}

/** Scans the bytes of `source` with clamd; throws ClamdError when there is no verdict. */
export async function scanStream(options: ClamdOptions, source: AsyncIterable<Buffer>): Promise<ScanVerdict> {
  const { host, port } = parseAddress(options.address);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const chunkBytes = options.chunkBytes ?? 64 * 1024;
  const socket = net.connect({ host, port });
  let answer = '';
  let ended = false;
  let failure: ClamdError | undefined;
  const answered = new Promise<void>((resolve) => {
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      answer += text;
      if (answer.includes('\0')) resolve();
    });
    socket.on('end', () => {
      ended = true;
      resolve();
    });
    socket.on('close', () => resolve());
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // clamd closes the connection after a refusal (size limit) while we may still be writing:
      // the answer it sent first is what counts.
      failure ??= new ClamdError('unreachable', `clamd at ${options.address}: ${err.code ?? err.message}`);
      resolve();
    });
  });
  const timer = setTimeout(() => {
    failure ??= new ClamdError('timeout', `clamd at ${options.address} gave no answer within ${timeoutMs} ms`);
    socket.destroy();
  }, timeoutMs);
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    }).catch((err: NodeJS.ErrnoException) => {
      throw new ClamdError('unreachable', `clamd at ${options.address}: ${err.code ?? err.message}`);
    });
    await write(socket, Buffer.from('zINSTREAM\0', 'latin1'));
    for await (const piece of source) {
      if (answer.includes('\0') || socket.destroyed) break; // clamd answered early (a refusal): stop sending
      for (let at = 0; at < piece.length; at += chunkBytes) {
        const part = piece.subarray(at, Math.min(at + chunkBytes, piece.length));
        const size = Buffer.alloc(4);
        size.writeUInt32BE(part.length, 0);
        await write(socket, size);
        await write(socket, part);
      }
    }
    if (!answer.includes('\0') && !socket.destroyed) await write(socket, Buffer.alloc(4)); // the zero-length terminator
    await answered;
    const line = answer.split('\0')[0] ?? '';
    if (line.trim() === '') {
      throw failure ?? new ClamdError('protocol', `clamd at ${options.address} closed the connection without an answer${ended ? '' : ' (no end)'}`);
    }
    return parseAnswer(line);
  } catch (err) {
    // A write that failed because clamd already answered and closed: the answer counts.
    if (!(err instanceof ClamdError)) await Promise.race([answered, new Promise((r) => setTimeout(r, 1000))]);
    const line = answer.split('\0')[0] ?? '';
    if (!(err instanceof ClamdError) && line.trim() !== '') return parseAnswer(line);
    if (err instanceof ClamdError) throw err;
    throw failure ?? new ClamdError('unreachable', `clamd at ${options.address}: ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
    socket.destroy();
  }
}

function write(socket: net.Socket, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.destroyed) {
      reject(new Error('connection closed'));
      return;
    }
    socket.write(bytes, (err) => (err ? reject(err) : resolve()));
  });
}
