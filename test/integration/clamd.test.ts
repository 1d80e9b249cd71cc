/**
 * The clamd INSTREAM client (integrations/clamd/client.ts) against the loopback peer that speaks
 * the protocol (simulators/clamd/): verdicts, chunk framing (pieces larger than a frame are split,
 * EICAR split across frames is still found), clamd's size-limit ERROR (answered while we are
 * still sending), a timeout, an unreachable address, and the answer parser's table.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClamdError, parseAnswer, scanStream } from '../../integrations/clamd/client.js';
import { EICAR, startClamdPeer, type ClamdPeer } from '../../simulators/clamd/index.js';

let peer: ClamdPeer;
let small: ClamdPeer;
let slow: ClamdPeer;

beforeAll(async () => {
  peer = await startClamdPeer();
  small = await startClamdPeer({ streamMaxLength: 100_000 });
  slow = await startClamdPeer({ answerDelayMs: 2_000 });
});
afterAll(async () => {
  await Promise.all([peer?.stop(), small?.stop(), slow?.stop()]);
});

async function* pieces(...parts: Buffer[]): AsyncIterable<Buffer> {
  for (const p of parts) yield p;
}

describe('parseAnswer', () => {
  it.each([
    ['stream: OK\0', { verdict: 'clean', answer: 'stream: OK' }],
    ['stream: Eicar-Test-Signature FOUND\0', { verdict: 'infected', signature: 'Eicar-Test-Signature', answer: 'stream: Eicar-Test-Signature FOUND' }],
    ['stream: Win.Test.EICAR_HDB-1 FOUND', { verdict: 'infected', signature: 'Win.Test.EICAR_HDB-1', answer: 'stream: Win.Test.EICAR_HDB-1 FOUND' }],
  ])('reads %j', (line, expected) => {
    expect(parseAnswer(line)).toEqual(expected);
  });

  it.each([
    ['INSTREAM size limit exceeded. ERROR', 'refused'],
    ['stream: Can\'t allocate memory ERROR', 'refused'],
    ['PONG', 'protocol'],
    ['', 'protocol'],
  ])('refuses %j as %s', (line, kind) => {
    expect(() => parseAnswer(line)).toThrow(expect.objectContaining({ kind }));
  });
});

describe('scanStream against the clamd peer', () => {
  it('answers clean for ordinary bytes, over many frames', async () => {
    const verdict = await scanStream({ address: peer.address, chunkBytes: 1000 }, pieces(Buffer.alloc(250_000, 1), Buffer.alloc(3, 2)));
    expect(verdict).toEqual({ verdict: 'clean', answer: 'stream: OK' });
    expect(peer.scans.at(-1)).toEqual({ bytes: 250_003, answer: 'stream: OK' });
  });

  it('finds EICAR split across frames and pieces', async () => {
    const eicar = Buffer.from(EICAR, 'latin1');
    const before = Buffer.concat([Buffer.alloc(5000, 0x20), eicar.subarray(0, 30)]);
    const after = Buffer.concat([eicar.subarray(30), Buffer.alloc(5000, 0x20)]);
    const verdict = await scanStream({ address: peer.address, chunkBytes: 777 }, pieces(before, after));
    expect(verdict).toMatchObject({ verdict: 'infected', signature: 'Eicar-Test-Signature' });
  });

  it("stops at clamd's StreamMaxLength with a refusal that is not retryable", async () => {
    const err = await scanStream({ address: small.address, chunkBytes: 16_384 }, pieces(...Array.from({ length: 40 }, () => Buffer.alloc(16_384, 3)))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClamdError);
    expect(err).toMatchObject({ kind: 'refused', retryable: false, message: expect.stringContaining('size limit exceeded') });
  });

  it('gives up after its timeout', async () => {
    const err = await scanStream({ address: slow.address, timeoutMs: 300 }, pieces(Buffer.alloc(10))).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'timeout', retryable: true });
  });

  it('says when clamd cannot be reached', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const { port } = server.address() as net.AddressInfo;
    await new Promise<void>((r) => server.close(() => r()));
    const err = await scanStream({ address: `127.0.0.1:${port}` }, pieces(Buffer.alloc(10))).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'unreachable', retryable: true });
  });

  it('sends the protocol bytes clamd expects (command, big-endian length prefixes, zero terminator)', async () => {
    const received: Buffer[] = [];
    const server = net.createServer((socket) => {
      socket.on('data', (d: Buffer) => {
        received.push(d);
        const all = Buffer.concat(received);
        if (all.length >= 4 && all.subarray(-4).equals(Buffer.alloc(4))) socket.end('stream: OK\0');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const { port } = server.address() as net.AddressInfo;
    await scanStream({ address: `127.0.0.1:${port}`, chunkBytes: 4 }, pieces(Buffer.from('abcdef')));
    await new Promise<void>((r) => server.close(() => r()));
    const expected = Buffer.concat([
      Buffer.from('zINSTREAM\0', 'latin1'),
      Buffer.from([0, 0, 0, 4]), Buffer.from('abcd'),
      Buffer.from([0, 0, 0, 2]), Buffer.from('ef'),
      Buffer.from([0, 0, 0, 0]),
    ]);
    expect(Buffer.concat(received).equals(expected)).toBe(true);
  });
});
