/**
 * The outbound platform client against a local mutual-TLS server (test CA made now with
 * openssl): what it sends (envelope, idempotency key, our certificate) and how each answer is
 * classified, like the XML gateway. The XML is a SYNTHETIC placeholder.
 */
import https from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HdnGatewayError } from '../gateway.js';
import { HdnErrorType } from '../types.js';
import { createHdnPlatformClient } from './client.js';
import { decodePlatformEnvelope } from './envelope.js';
import { createTestCa, issueNodeCertificate, type PemPair, type TestCa } from './test-pki.js';

let dir: string;
let ca: TestCa;
let ours: PemPair;
let server: https.Server;
let url: string;
/** The status the server answers next, and what it saw. */
let answerWith = 202;
const seen: { cn: unknown; idempotencyKey: unknown; body: unknown }[] = [];

const facts = { messageType: 'AX' as const, senderNode: 'DFL001', receiverNode: 'LND001', applicationNumber: 'A-1', applicationVersion: '2' };
const xml = '<?xml version="1.0"?><!-- synthetic --><AX/>';

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'hdn-platform-client-'));
  ca = await createTestCa(dir, 'ca');
  ours = await issueNodeCertificate(ca, dir, 'DFL001');
  const peer = await issueNodeCertificate(ca, dir, 'LND001');
  server = https.createServer({ key: peer.key, cert: peer.cert, ca: ca.cert, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ cn: (req.socket as TLSSocket).getPeerCertificate().subject?.CN, idempotencyKey: req.headers['idempotency-key'], body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
      res.writeHead(answerWith, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: answerWith }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/hdn/platform/messages`;
}, 60_000);

afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server?.closeAllConnections();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const client = () => createHdnPlatformClient({ url, tls: { key: ours.key, cert: ours.cert, ca: ca.cert }, timeoutMs: 5000 });

describe('HDN platform client', () => {
  it('posts the envelope with our certificate and the idempotency key; 2xx is delivered', async () => {
    answerWith = 202;
    seen.length = 0;
    const res = await client().send(xml, { idempotencyKey: 'AX|LND001|DFL001|A-1|2', message: facts });
    expect(res.status).toBe(202);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ cn: 'DFL001', idempotencyKey: 'AX|LND001|DFL001|A-1|2' });
    const decoded = decodePlatformEnvelope(seen[0]!.body, { maxXmlBytes: 1024 });
    expect(decoded.facts).toEqual(facts);
    expect(decoded.xml.toString()).toBe(xml);
  });

  it.each([
    { status: 503, type: HdnErrorType.GatewayUnavailable, retryable: true },
    { status: 429, type: HdnErrorType.GatewayUnavailable, retryable: true },
    { status: 400, type: HdnErrorType.GatewayRejected, retryable: false },
    { status: 403, type: HdnErrorType.GatewayRejected, retryable: false },
  ])('answer $status: $type', async ({ status, type, retryable }) => {
    answerWith = status;
    const err = await client().send(xml, { message: facts }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HdnGatewayError);
    expect(err).toMatchObject({ type, status, retryable });
  });

  it('a server whose certificate our CA did not sign is unreachable (retryable), nothing sent', async () => {
    const otherCa = await createTestCa(path.join(dir, 'other'), 'other');
    seen.length = 0;
    const err = await createHdnPlatformClient({ url, tls: { key: ours.key, cert: ours.cert, ca: otherCa.cert } }).send(xml, { message: facts }).catch((e: unknown) => e);
    expect(err).toMatchObject({ type: HdnErrorType.GatewayUnavailable, retryable: true });
    expect(seen).toHaveLength(0);
  });

  it('refuses a message it cannot put in an envelope (not retryable), and a plain http url', async () => {
    const err = await client().send(xml, { message: { ...facts, applicationVersion: 'two' } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ type: HdnErrorType.GatewayRejected, retryable: false });
    expect(() => createHdnPlatformClient({ url: 'http://127.0.0.1:1/x', tls: { key: ours.key, cert: ours.cert, ca: ca.cert } })).toThrow(/https/);
  });
});
