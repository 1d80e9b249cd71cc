/**
 * The simulated lender on the HDN API platform, against the product's own platform code: our
 * client (integrations/hdn/platform/client.ts) posts an AX to the lender's listener, and what the
 * lender delivers is read by our envelope reader. The two sides were written apart, so this is
 * where their envelope field names must agree. Certificates: a test CA made now with openssl.
 * The AX is SYNTHETIC.
 */
import https from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPublicHdn } from '../../integrations/hdn/write.js';
import { readHdnMessage } from '../../integrations/hdn/read.js';
import { HdnGatewayError } from '../../integrations/hdn/gateway.js';
import type { HdnApplication } from '../../integrations/hdn/types.js';
import { createHdnPlatformClient } from '../../integrations/hdn/platform/client.js';
import { decodePlatformEnvelope, envelopeHeaderMismatches } from '../../integrations/hdn/platform/envelope.js';
import { createTestCa, issueNodeCertificate, type PemPair, type TestCa } from '../../integrations/hdn/platform/test-pki.js';
import { startLenderSimulator, type LenderSimulator } from './simulator.js';
import { LenderConfigError, lenderOptionsFromEnv } from './env.js';

const OUR_NODE = 'DFL001';
const LENDER = 'LND001';

let dir: string;
let ca: TestCa;
let ours: PemPair;
let lenderCert: PemPair;
let otherNode: PemPair;
let expired: PemPair;
let lender: LenderSimulator;
let product: https.Server;
/** What reached the "product" listener: the client certificate's CN and the JSON body. */
const received: { cn: unknown; body: unknown }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'lender-platform-'));
  ca = await createTestCa(dir, 'ca');
  ours = await issueNodeCertificate(ca, dir, OUR_NODE);
  lenderCert = await issueNodeCertificate(ca, dir, LENDER);
  otherNode = await issueNodeCertificate(ca, dir, 'OTH001');
  expired = await issueNodeCertificate(ca, dir, OUR_NODE, { days: -1, file: 'expired' });
  // Stands in for the product's platform listener: mutual TLS, records every envelope.
  product = https.createServer({ key: ours.key, cert: ours.cert, ca: ca.cert, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ cn: (req.socket as TLSSocket).getPeerCertificate().subject?.CN, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end('{"state":"delivered"}');
    });
  });
  await new Promise<void>((resolve) => product.listen(0, '127.0.0.1', resolve));
  lender = await startLenderSimulator({
    port: 0,
    nodeNumber: LENDER,
    inboundToken: 'bearer-for-the-xml-way',
    deliverTo: { url: 'http://127.0.0.1:9/not-used', token: 'not-used' },
    platform: {
      port: 0,
      tls: { key: lenderCert.key, cert: lenderCert.cert, ca: ca.cert },
      deliverUrl: `https://127.0.0.1:${(product.address() as AddressInfo).port}/hdn/platform/messages`,
    },
    stepDelayMs: 0,
    sx09DelayMs: 0,
    scenario: 'rejected',
    log: () => {},
  });
}, 60_000);

afterAll(async () => {
  await lender?.stop();
  await new Promise<void>((resolve) => (product ? product.close(() => resolve()) : resolve()));
  product?.closeAllConnections();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function ax(applicationNumber: string, receiverNode = LENDER): string {
  const message: HdnApplication = {
    type: 'AX',
    header: {
      senderNode: OUR_NODE,
      receiverNode,
      senderName: 'dossierflow',
      receiverName: 'Voorbeeld Hypotheken N.V.',
      packageName: 'dossierflow',
      packageVersion: '0.1.0',
      messageType: 'AX',
      messageVersion: '24.0',
      receiverCode: 'VBH',
      sentDate: '2026-12-06',
      sentTime: '12:00:00',
      applicationNumber,
      applicationVersion: '1',
    },
    applicants: [{ position: 1, firstName: 'Sanne', lastName: 'Synthetisch', birthDate: '1991-05-06', street: 'Laan', houseNumber: 3, postcode: '3511AA', city: 'Utrecht' }],
    loanParts: [{ number: '1', repaymentType: 'annuiteit', amountCents: 20_000_000, durationMonths: 360, fixedRateMonths: 120 }],
  };
  return buildPublicHdn(message);
}

const client = (cert: PemPair) => createHdnPlatformClient({ url: lender.platformUrl ?? '', tls: { key: cert.key, cert: cert.cert, ca: ca.cert } });

describe('simulated lender over the HDN API platform', () => {
  it('takes our AX in our envelope and delivers its answers in envelopes our reader accepts, with its node certificate', async () => {
    const answer = await client(ours).send(ax('PLT-1'));
    expect(answer.status).toBe(202);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 'accepted', messageType: 'AX', applicationNumber: 'PLT-1' });
    const done = await lender.waitFor((a) => a.applicationNumber === 'PLT-1' && a.state === 'finished');
    expect(done.messages.every((m) => m.delivered)).toBe(true);
    expect(received.length).toBe(done.messages.length);
    for (const { cn, body } of received) {
      expect(cn).toBe(LENDER);
      const { facts, xml } = decodePlatformEnvelope(body, { maxXmlBytes: 1024 * 1024 });
      expect(facts).toMatchObject({ senderNode: LENDER, receiverNode: OUR_NODE, applicationNumber: 'PLT-1', applicationVersion: '1' });
      expect(envelopeHeaderMismatches(facts, readHdnMessage(xml).header)).toEqual([]);
    }
  });

  it('the same AX again over the platform: acknowledged as a duplicate, no second flow', async () => {
    const again = await client(ours).send(ax('PLT-1'));
    expect(JSON.parse(again.body)).toMatchObject({ status: 'duplicate' });
    expect(lender.applications().filter((a) => a.applicationNumber === 'PLT-1')).toHaveLength(1);
  });

  it("refuses an envelope whose sender is not the certificate's node (403), and one not addressed to it (400)", async () => {
    const before = lender.applications().length;
    // A registered node's certificate, but the envelope (from the XML) says DFL001.
    const wrongSender = await client(otherNode).send(ax('PLT-2')).catch((e: unknown) => e);
    expect(wrongSender).toBeInstanceOf(HdnGatewayError);
    expect((wrongSender as HdnGatewayError).status).toBe(403);
    const wrongReceiver = await client(ours).send(ax('PLT-3', 'LND999')).catch((e: unknown) => e);
    expect((wrongReceiver as HdnGatewayError).status).toBe(400);
    expect(lender.applications().length).toBe(before);
  });

  it('an expired certificate does not get through the handshake (retryable for the sender, nothing received)', async () => {
    const before = lender.applications().length;
    const err = await client(expired).send(ax('PLT-4')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HdnGatewayError);
    expect((err as HdnGatewayError).status).toBeUndefined();
    expect(lender.applications().length).toBe(before);
  });
});

describe('the stand-alone lender on the platform, from the environment', () => {
  const base = { LENDER_INBOUND_TOKEN: 'in', LENDER_DELIVER_URL: 'http://127.0.0.1:3000/hdn/messages', LENDER_DELIVER_TOKEN: 'out' };

  it('reads LENDER_PLATFORM_* into the platform options', () => {
    const opts = lenderOptionsFromEnv({
      ...base,
      LENDER_PLATFORM_PORT: '8091',
      LENDER_PLATFORM_TLS_KEY: lenderCert.keyFile,
      LENDER_PLATFORM_TLS_CERT: lenderCert.certFile,
      LENDER_PLATFORM_TLS_CA: ca.certFile,
      LENDER_PLATFORM_DELIVER_URL: 'https://127.0.0.1:3443/hdn/platform/messages',
    });
    expect(opts.platform).toMatchObject({ port: 8091, deliverUrl: 'https://127.0.0.1:3443/hdn/platform/messages' });
    expect(opts.platform?.tls.cert.toString()).toContain('BEGIN CERTIFICATE');
    expect(lenderOptionsFromEnv(base).platform).toBeUndefined();
  });

  it('names every missing or bad platform setting at once', () => {
    let caught: unknown;
    try {
      lenderOptionsFromEnv({ ...base, LENDER_PLATFORM_PORT: '8091', LENDER_PLATFORM_TLS_KEY: '/nonexistent.key', LENDER_PLATFORM_DELIVER_URL: 'http://plain' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(LenderConfigError);
    expect((caught as LenderConfigError).problems.map((p) => p.split(' ')[0])).toEqual([
      'LENDER_PLATFORM_TLS_KEY',
      'LENDER_PLATFORM_TLS_CERT',
      'LENDER_PLATFORM_TLS_CA',
      'LENDER_PLATFORM_DELIVER_URL',
    ]);
  });
});
