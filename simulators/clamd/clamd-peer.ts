/**
 * A loopback peer that speaks clamd's INSTREAM protocol for real (clamd(8)): `zINSTREAM\0` or
 * `nINSTREAM\n`, length-prefixed chunks (4 bytes big-endian), a zero-length terminator, one
 * answer line (NUL-terminated for `z`, newline for `n`). It has no signature database (none can
 * be fetched here): it finds only the EICAR anti-virus test string, anywhere in the stream and
 * across chunk boundaries, and answers `stream: Eicar-Test-Signature FOUND`; `stream: OK`
 * otherwise. Like clamd it enforces a StreamMaxLength (`INSTREAM size limit exceeded. ERROR`,
 * then it closes) and answers `PING` with `PONG`. Memory per connection is bounded (it keeps
 * only the tail needed to match across chunks).
 */
import net from 'node:net';

/** The EICAR test file (eicar.org): harmless, and every scanner reports it. */
export const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';
const EICAR_BYTES = Buffer.from(EICAR, 'latin1');

export interface ClamdPeerOptions {
  port?: number;
  host?: string;
  /** clamd's StreamMaxLength (default 26 MiB: above our 25 MB files, as an office would set it). */
  streamMaxLength?: number;
  /** Delay before answering, to test the client's timeout. */
  answerDelayMs?: number;
}

export interface ClamdPeer {
  address: string;
  port: number;
  /** Streams scanned (finished with a verdict), for tests. */
  scans: { bytes: number; answer: string }[];
  stop(): Promise<void>;
}

export async function startClamdPeer(options: ClamdPeerOptions = {}): Promise<ClamdPeer> {
  const maxLength = options.streamMaxLength ?? 26_214_400 + 1024 * 1024;
  const scans: ClamdPeer['scans'] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffered: Buffer = Buffer.alloc(0);
    let mode: 'command' | 'stream' | 'done' = 'command';
    let terminator = '\0';
    let total = 0;
    let tail: Buffer = Buffer.alloc(0);
    let found = false;

    const answer = (line: string, close: boolean) => {
      mode = 'done';
      const send = () => {
        socket.end(line + terminator);
        if (close) socket.destroySoon();
      };
      if (options.answerDelayMs) setTimeout(send, options.answerDelayMs);
      else send();
    };

    socket.on('data', (data: Buffer) => {
      if (mode === 'done') return;
      buffered = buffered.length === 0 ? data : Buffer.concat([buffered, data]);
      if (mode === 'command') {
        const first = buffered[0];
        const end = first === 0x7a /* z */ ? buffered.indexOf(0) : first === 0x6e /* n */ ? buffered.indexOf(0x0a) : -2;
        if (end === -2) return answer('UNKNOWN COMMAND', true);
        if (end < 0) {
          if (buffered.length > 64) answer('UNKNOWN COMMAND', true);
          return;
        }
        terminator = first === 0x7a ? '\0' : '\n';
        const command = buffered.subarray(1, end).toString('latin1');
        buffered = buffered.subarray(end + 1);
        if (command === 'PING') return answer('PONG', false);
        if (command !== 'INSTREAM') return answer('UNKNOWN COMMAND', true);
        mode = 'stream';
      }
      while (mode === 'stream' && buffered.length >= 4) {
        const size = buffered.readUInt32BE(0);
        if (size === 0) {
          const line = found ? 'stream: Eicar-Test-Signature FOUND' : 'stream: OK';
          scans.push({ bytes: total, answer: line });
          return answer(line, false);
        }
        if (total + size > maxLength) {
          scans.push({ bytes: total + size, answer: 'INSTREAM size limit exceeded. ERROR' });
          return answer('INSTREAM size limit exceeded. ERROR', true);
        }
        if (buffered.length < 4 + size) return;
        const chunk = buffered.subarray(4, 4 + size);
        buffered = buffered.subarray(4 + size);
        total += size;
        if (!found) {
          const window = Buffer.concat([tail, chunk]);
          if (window.includes(EICAR_BYTES)) found = true;
          tail = Buffer.from(window.subarray(Math.max(0, window.length - (EICAR_BYTES.length - 1))));
        }
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    address: `${options.host ?? '127.0.0.1'}:${port}`,
    port,
    scans,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
