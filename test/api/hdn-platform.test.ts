/**
 * The HDN API platform listener (api/platform-listener.ts) over real mutual TLS, against a real
 * PostgreSQL and Temporal. The certificates come from a test CA made now with openssl
 * (integrations/hdn/platform/test-pki.ts); every HDN message here is SYNTHETIC (built with our
 * codec from made-up data).
 *
 * Proves: a wrong (other CA), expired, missing or unknown-node certificate, and a certificate
 * whose node is not the envelope's sender, are refused and logged with nothing stored; an AX and
 * then an SX over the platform reach the inbox and the product exactly as over the XML route.
 */
import https from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { buildPlatformListener, PLATFORM_MESSAGES_PATH } from '../../api/platform-listener.js';
import { temporalHealthCheck } from '../../integrations/temporal/health.js';
import { issueCredential } from '../../services/access/store.js';
import { newId } from '../../db/ids.js';
import type { MikroORM } from '../../db/orm.js';
import { buildHdn } from '../../integrations/hdn/codec.js';
import type { HdnApplication, HdnHeader, HdnMessageType, HdnStatus } from '../../integrations/hdn/types.js';
import { encodePlatformEnvelope } from '../../integrations/hdn/platform/envelope.js';
import { createTestCa, issueNodeCertificate, type PemPair, type TestCa } from '../../integrations/hdn/platform/test-pki.js';
import { XmlParsePool } from '../../integrations/xml/index.js';
import { createHdnPlatformClient } from '../../integrations/hdn/platform/client.js';
import { createHdnTransportRouter } from '../../integrations/hdn/platform/router.js';
import { sendApplicationToLender } from '../../services/hdn/send-to-lender.js';
import { startLenderSimulator, type LenderSimulator } from '../../simulators/lender/index.js';
import { bearer, createTestOffice, ensureShippedProcesses, openOrm, type TestOffice } from './support.js';

const temporalAddress = process.env.TEMPORAL_ADDRESS ?? '';
if (!temporalAddress) throw new Error('hdn-platform.test: TEMPORAL_ADDRESS is not set (the vitest global setup provides it)');
const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';

const OUR_NODE = 'DFLP01';
const tag = () => newId().replace(/-/g, '').slice(0, 4).toUpperCase();
const adviceNode = `AP${tag()}`;
const lenderNode = `LP${tag()}`;
const otherLenderNode = `LQ${tag()}`;
const unknownNode = `UN${tag()}`;
const lenderCode = `PLATBANK-${tag()}`;

let orm: MikroORM;
let api: FastifyInstance;
let listener: FastifyInstance;
let pool: XmlParsePool;
let connection: Connection;
let client: Client;
let office: TestOffice;
let url: string;
let dir: string;
let ca: TestCa;
let server: PemPair;
const certs: Record<'advice' | 'lender' | 'otherLender' | 'unknown' | 'expired' | 'foreign' | 'noNode', PemPair> = {} as never;
const logLines: Record<string, unknown>[] = [];
const taskQueue = `hdn-platform-test-${newId().slice(0, 8)}`;

async function party(role: 'advice_software' | 'lender', node: string): Promise<void> {
  const issued = await issueCredential(orm.em.fork(), { officeId: office.officeId, name: `platform ${role} ${node}`, role });
  await orm.em.fork().execute('update api_credentials set hdn_node = ? where id = ?', [node, issued.id]);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'hdn-platform-pki-'));
  ca = await createTestCa(dir, 'test-ca');
  const otherCa = await createTestCa(path.join(dir, 'other'), 'other-ca');
  server = await issueNodeCertificate(ca, dir, OUR_NODE);
  certs.advice = await issueNodeCertificate(ca, dir, adviceNode);
  certs.lender = await issueNodeCertificate(ca, dir, lenderNode);
  certs.otherLender = await issueNodeCertificate(ca, dir, otherLenderNode);
  certs.unknown = await issueNodeCertificate(ca, dir, unknownNode);
  certs.expired = await issueNodeCertificate(ca, dir, lenderNode, { days: -1, file: 'expired' });
  certs.foreign = await issueNodeCertificate(otherCa, path.join(dir, 'other'), lenderNode);
  certs.noNode = await issueNodeCertificate(ca, dir, 'not-a-node-number', { file: 'no-node' });

  orm = await openOrm();
  await ensureShippedProcesses(orm);
  office = await createTestOffice(orm, 'HDN-platformkantoor');
  await party('advice_software', adviceNode);
  await party('lender', lenderNode);
  await party('lender', otherLenderNode);
  await orm.em.fork().execute('insert into hdn_lenders (code, name, node_number) values (?, ?, ?)', [lenderCode, `Platformbank ${lenderCode}`, lenderNode]);
  connection = await Connection.connect({ address: temporalAddress });
  client = new Client({ connection, namespace });
  const temporal = { client, taskQueue, checkHealth: temporalHealthCheck(connection) };
  api = buildApp({ orm, temporal, hdn: { node: OUR_NODE } });
  await api.ready();
  pool = new XmlParsePool();
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  listener = buildPlatformListener({ orm, temporal, ourNode: OUR_NODE, xmlPool: pool, tls: { key: server.key, cert: server.cert, ca: ca.cert }, logger: { level: 'info', stream } });
  await listener.listen({ host: '127.0.0.1', port: 0 });
  url = `https://127.0.0.1:${(listener.server.address() as AddressInfo).port}${PLATFORM_MESSAGES_PATH}`;
}, 180_000);

afterAll(async () => {
  await listener?.close();
  await api?.close();
  await pool?.close();
  await connection?.close();
  await orm?.close(true);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// ---- messages (synthetic) ------------------------------------------------------------------

let clock = 0;
function header(type: HdnMessageType, applicationNumber: string, from: string): HdnHeader {
  clock += 1;
  return {
    senderNode: from,
    receiverNode: OUR_NODE,
    messageType: type,
    messageVersion: '24.0',
    sentDate: '2026-12-06',
    sentTime: `11:${String(Math.floor(clock / 60) % 60).padStart(2, '0')}:${String(clock % 60).padStart(2, '0')}`,
    applicationNumber,
    applicationVersion: '1',
  };
}

function ax(applicationNumber: string): string {
  const message: HdnApplication = {
    type: 'AX',
    header: { ...header('AX', applicationNumber, adviceNode), receiverCode: lenderCode },
    applicants: [
      { position: 1, firstName: 'Petra', lastName: `Platform-${tag()}`, birthDate: '1985-02-03', email: `petra.${tag().toLowerCase()}@example.nl`, street: 'Kade', houseNumber: 1, postcode: '1011AB', city: 'Amsterdam' },
    ],
    loanParts: [{ number: '1', repaymentType: 'annuiteit', amountCents: 30_000_000, durationMonths: 360, fixedRateMonths: 120 }],
  };
  return buildHdn(message);
}

function sx(applicationNumber: string, statusCode: string, from = lenderNode): string {
  const message: HdnStatus = { type: 'SX', header: header('SX', applicationNumber, from), statusCode };
  return buildHdn(message);
}

function envelope(xml: string, type: HdnMessageType, applicationNumber: string, from: string, overrides: { senderNode?: string; applicationNumber?: string } = {}) {
  return encodePlatformEnvelope(
    { messageType: type, senderNode: overrides.senderNode ?? from, receiverNode: OUR_NODE, applicationNumber: overrides.applicationNumber ?? applicationNumber, applicationVersion: '1' },
    xml,
  );
}

const applicationNumber = () => `P${Date.now().toString(36).toUpperCase()}${tag()}`;

// ---- transport -----------------------------------------------------------------------------

interface Answer {
  status: number;
  contentType: string;
  body: Record<string, unknown>;
}

/** One POST over its own TLS connection (no session reuse) with `cert` as client certificate. */
function postEnvelope(body: unknown, cert: PemPair | undefined, opts: { rawBody?: string } = {}): Promise<Answer> {
  const payload = opts.rawBody ?? JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: 'POST',
        agent: false,
        ca: ca.cert,
        ...(cert ? { key: cert.key, cert: cert.cert } : {}),
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']), body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function messageCount(): Promise<number> {
  const found = await orm.em.fork().execute<{ n: number }[]>('select count(*)::int as n from hdn_messages where office_id = ?', [office.officeId]);
  return found[0]?.n ?? -1;
}

function expectProblem(answer: Answer, status: number, slug: RegExp): void {
  expect(answer.status).toBe(status);
  expect(answer.contentType).toMatch(/^application\/problem\+json/);
  expect(String(answer.body.type)).toMatch(slug);
}

async function signalsOf(workflowId: string): Promise<number> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'lenderMessage').length;
}

// ---- tests ---------------------------------------------------------------------------------

describe('HDN platform listener: certificates refused in the handshake, logged, nothing stored', () => {
  it.each([
    { name: 'no client certificate', cert: () => undefined, reason: /certificate/i },
    { name: 'an expired certificate', cert: () => certs.expired, reason: /CERT_HAS_EXPIRED/ },
    { name: 'a certificate from another CA', cert: () => certs.foreign, reason: /UNABLE_TO_GET_ISSUER_CERT_LOCALLY|UNABLE_TO_VERIFY_LEAF_SIGNATURE/ },
  ])('$name', async ({ cert, reason }) => {
    const before = await messageCount();
    const logged = logLines.length;
    const number = applicationNumber();
    await expect(postEnvelope(envelope(sx(number, '09'), 'SX', number, lenderNode), cert())).rejects.toThrow();
    expect(await messageCount()).toBe(before);
    // The server logs the refusal with OpenSSL's reason (the log may trail the client's error).
    await expect.poll(() => logLines.slice(logged).find((l) => l.msg === 'HDN platform: client certificate refused'), { timeout: 5000 }).toBeDefined();
    const line = logLines.slice(logged).find((l) => l.msg === 'HDN platform: client certificate refused');
    expect(String(line?.reason)).toMatch(reason);
  });
});

describe('HDN platform listener: verified certificates that may not send this, refused with problem+json', () => {
  it('a certificate with no node number: 403', async () => {
    const before = await messageCount();
    const number = applicationNumber();
    expectProblem(await postEnvelope(envelope(sx(number, '09'), 'SX', number, lenderNode), certs.noNode), 403, /hdn-platform-certificate/);
    expect(await messageCount()).toBe(before);
  });

  it('a node that is no registered party: 403, logged', async () => {
    const before = await messageCount();
    const number = applicationNumber();
    const logged = logLines.length;
    const answer = await postEnvelope(envelope(sx(number, '09', unknownNode), 'SX', number, unknownNode), certs.unknown);
    expectProblem(answer, 403, /hdn-platform-unknown-node/);
    expect(String(answer.body.detail)).toContain(unknownNode);
    expect(await messageCount()).toBe(before);
    expect(logLines.slice(logged).some((l) => l.msg === 'HDN platform: message refused' && l.node === unknownNode)).toBe(true);
  });

  it("a certificate whose node is not the envelope's sender: 403", async () => {
    const before = await messageCount();
    const number = applicationNumber();
    // Another registered lender presents its own certificate but claims to be the first lender.
    const answer = await postEnvelope(envelope(sx(number, '09'), 'SX', number, lenderNode), certs.otherLender);
    expectProblem(answer, 403, /hdn-platform-sender-mismatch/);
    expect(await messageCount()).toBe(before);
  });

  it("an envelope and sender that match the certificate, but an XML from another sender: 400", async () => {
    const before = await messageCount();
    const number = applicationNumber();
    const answer = await postEnvelope(envelope(sx(number, '09', lenderNode), 'SX', number, otherLenderNode), certs.otherLender);
    expectProblem(answer, 400, /hdn-platform-envelope-mismatch/);
    expect(await messageCount()).toBe(before);
  });

  it.each([
    { name: 'not JSON', raw: '<SX/>', slug: /malformed-json/ },
    { name: 'not an envelope', raw: JSON.stringify({ hello: 'world' }), slug: /hdn-platform-envelope/ },
  ])('a body that is $name: 400', async ({ raw, slug }) => {
    const before = await messageCount();
    expectProblem(await postEnvelope(undefined, certs.lender, { rawBody: raw }), 400, slug);
    expect(await messageCount()).toBe(before);
  });

  it('an envelope whose requestTraceNumber is not the XML application number: 400', async () => {
    const before = await messageCount();
    const number = applicationNumber();
    const answer = await postEnvelope(envelope(sx(number, '09'), 'SX', number, lenderNode, { applicationNumber: `${number}X` }), certs.lender);
    expectProblem(answer, 400, /hdn-platform-envelope-mismatch/);
    expect(String(answer.body.detail)).toMatch(/requestTraceNumber/);
    expect(await messageCount()).toBe(before);
  });
});

describe('HDN platform listener: messages reach the product as over the XML route', () => {
  it('AX from advice software lands in the inbox; after conversion an SX over the platform is delivered to the product once', async () => {
    const number = applicationNumber();
    const axAnswer = await postEnvelope(envelope(ax(number), 'AX', number, adviceNode), certs.advice);
    expect(axAnswer.status).toBe(202);
    expect(axAnswer.body).toMatchObject({ type: 'AX', state: 'received', duplicate: false });

    const converted = await api.inject({ method: 'POST', url: `/hdn/messages/${String(axAnswer.body.id)}/convert`, headers: bearer(office.tokens.adviser), payload: {} });
    expect(converted.statusCode).toBe(201);
    const { productId } = converted.json() as { productId: string };

    const status = envelope(sx(number, '09'), 'SX', number, lenderNode);
    const first = await postEnvelope(status, certs.lender);
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ id: expect.any(String), type: 'SX', state: 'delivered', duplicate: false });
    expect(await signalsOf(`product:${productId}`)).toBe(1);

    // The same envelope again: the XML route's dedup answers, no second delivery.
    const again = await postEnvelope(status, certs.lender);
    expect(again.body).toEqual({ ...first.body, duplicate: true });
    expect(await signalsOf(`product:${productId}`)).toBe(1);

    const listed = await api.inject({ method: 'GET', url: `/products/${productId}/hdn-messages?includeXml=true`, headers: bearer(office.tokens.adviser) });
    const items = (listed.json() as { items: { type: string; state: string; rawXml: string }[] }).items;
    expect(items.map((m) => [m.type, m.state])).toEqual([
      ['AX', 'converted'],
      ['SX', 'delivered'],
    ]);
    // Stored as the XML inside the envelope, byte for byte.
    expect(items[1]?.rawXml).toBe(Buffer.from(status.payload.data, 'base64').toString('utf8'));
  });

  it('an SX for an unknown application is stored and parked, as over the XML route', async () => {
    const number = applicationNumber();
    const answer = await postEnvelope(envelope(sx(number, '10'), 'SX', number, lenderNode), certs.lender);
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ type: 'SX', state: 'parked', reason: expect.stringContaining(number) });
  });
});

describe('HDN platform listener: a lender node registered in many offices', () => {
  it('finds the office that has the application among more credentials of the node than fit one page, and refuses a number no office has', async () => {
    // A lender works with every office of the platform: its node is registered in 21 other offices first.
    const sharedNode = `LS${tag()}`;
    for (let i = 0; i < 21; i++) {
      const other = await createTestOffice(orm, `Ander kantoor ${i}`);
      await orm.em.fork().execute('update api_credentials set hdn_node = ? where id = ?', [sharedNode, other.credentialIds.lender]);
    }
    await party('lender', sharedNode);
    const cert = await issueNodeCertificate(ca, dir, sharedNode);

    const number = applicationNumber();
    const received = await postEnvelope(envelope(ax(number), 'AX', number, adviceNode), certs.advice);
    expect(received.status).toBe(202);
    const converted = await api.inject({ method: 'POST', url: `/hdn/messages/${String(received.body.id)}/convert`, headers: bearer(office.tokens.adviser), payload: {} });
    expect(converted.statusCode).toBe(201);

    const delivered = await postEnvelope(envelope(sx(number, '09', sharedNode), 'SX', number, sharedNode), cert);
    expect(delivered.status, JSON.stringify(delivered.body)).toBe(202);
    expect(delivered.body).toMatchObject({ type: 'SX', state: 'delivered' });

    const unknown = applicationNumber();
    const refused = await postEnvelope(envelope(sx(unknown, '10', sharedNode), 'SX', unknown, sharedNode), cert);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ type: expect.stringMatching(/hdn-platform-ambiguous-node$/) });
  });
});

describe('our AX over the platform to the simulated lender, its answers back over the platform', () => {
  let lender: LenderSimulator | undefined;
  afterAll(async () => {
    await lender?.stop();
  });

  it('the send activity takes the platform for a platform lender; the lender accepts the envelope and its SX reach the product', async () => {
    lender = await startLenderSimulator({
      port: 0,
      nodeNumber: lenderNode,
      inboundToken: 'unused-bearer-token',
      // The XML way is configured too: the test proves the platform is the one taken.
      deliverTo: { url: 'http://127.0.0.1:9/unused', token: 'unused' },
      platform: { port: 0, tls: { key: certs.lender.key, cert: certs.lender.cert, ca: ca.cert }, deliverUrl: url },
      scenario: 'happy',
      stepDelayMs: 20,
      sx09DelayMs: 0,
      log: () => {},
    });
    const number = applicationNumber();
    const axAnswer = await postEnvelope(envelope(ax(number), 'AX', number, adviceNode), certs.advice);
    expect(axAnswer.status).toBe(202);
    const converted = await api.inject({ method: 'POST', url: `/hdn/messages/${String(axAnswer.body.id)}/convert`, headers: bearer(office.tokens.adviser), payload: {} });
    expect(converted.statusCode).toBe(201);
    const { productId } = converted.json() as { productId: string };

    const xmlGateway = { send: () => Promise.reject(new Error('the XML gateway must not be used for a platform lender')) };
    const gateway = createHdnTransportRouter({
      xml: xmlGateway,
      platform: createHdnPlatformClient({ url: lender.platformUrl ?? '', tls: { key: server.key, cert: server.cert, ca: ca.cert } }),
      defaultTransport: 'xml',
      platformNodes: [lenderNode],
    });
    const sent = await sendApplicationToLender(orm.em.fork(), { gateway, node: OUR_NODE, now: () => new Date() }, { key: `send-ax-${productId}`, productId });
    expect(sent).toMatchObject({ sentNow: true, applicationNumber: number, applicationVersion: 1 });

    // The lender read our envelope and XML, ran its scenario and delivered over the platform.
    const done = await lender.waitFor((a) => a.applicationNumber === number && a.state === 'finished', 20_000);
    expect(done.senderNode).toBe(OUR_NODE);
    expect(done.messages.length).toBeGreaterThan(1);
    expect(done.messages.every((m) => m.delivered)).toBe(true);
    const stored = await orm.em
      .fork()
      .execute<{ type: string; state: string; status_code: string | null }[]>(
        `select type, state, status_code from hdn_messages where office_id = ? and application_number = ? and direction = 'in' and type <> 'AX' order by received_at, id`,
        [office.officeId, number],
      );
    expect(stored.length).toBe(done.messages.length);
    expect(stored.every((m) => m.state === 'delivered')).toBe(true);
    expect(stored.filter((m) => m.type === 'SX').map((m) => m.status_code)).toContain('09');
  });
});
