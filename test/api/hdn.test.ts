/**
 * HDN over HTTP against a real PostgreSQL and a real Temporal (TEMPORAL_ADDRESS from the
 * global setup). No worker runs on this file's task queue: a converted product's workflow and
 * signal-with-start still create executions whose history holds the start and the signals.
 */
import type { FastifyInstance } from 'fastify';
import { Client, Connection, type WorkflowSignalWithStartOptions } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { temporalHealthCheck } from '../../integrations/temporal/health.js';
import type { TemporalDeps } from '../../api/types.js';
import { issueCredential } from '../../services/access/store.js';
import { newId } from '../../db/ids.js';
import type { MikroORM } from '../../db/orm.js';
import { buildHdn } from '../../integrations/hdn/codec.js';
import type { HdnApplicant, HdnApplication, HdnHeader, HdnMessageType, HdnStatus } from '../../integrations/hdn/types.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { XmlParsePool, xsdHookFromSettings } from '../../integrations/xml/index.js';
import { defaultXmlBodyLimits } from '../../api/plugins/xml-body.js';
import { bearer, createTestOffice, ensureShippedProcesses, openOrm, type TestOffice } from './support.js';

const temporalAddress = process.env.TEMPORAL_ADDRESS ?? '';
if (!temporalAddress) throw new Error('hdn.test: TEMPORAL_ADDRESS is not set (the vitest global setup provides it)');
const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';

const OUR_NODE = 'DFLT01';
const tag = () => newId().replace(/-/g, '').slice(0, 4).toUpperCase();
/** 6-character node numbers unique to this run. */
const adviceNode = `AS${tag()}`;
const lenderNode = `LN${tag()}`;
const lenderCode = `TSTBANK-${tag()}`;
const lenderName = `Testbank ${lenderCode}`;

let orm: MikroORM;
let app: FastifyInstance;
let connection: Connection;
let client: Client;
let office: TestOffice;
let otherOffice: TestOffice;
let adviceToken: string;
let lenderToken: string;
let nodelessToken: string;
const taskQueue = `hdn-api-test-${newId().slice(0, 8)}`;

async function partyToken(officeId: string, role: 'advice_software' | 'lender', node: string | null): Promise<string> {
  const issued = await issueCredential(orm.em.fork(), { officeId, name: `test ${role}`, role });
  await orm.em.fork().execute('update api_credentials set hdn_node = ? where id = ?', [node, issued.id]);
  return issued.token;
}

beforeAll(async () => {
  orm = await openOrm();
  await ensureShippedProcesses(orm);
  office = await createTestOffice(orm, 'HDN-kantoor');
  otherOffice = await createTestOffice(orm, 'Ander HDN-kantoor');
  adviceToken = await partyToken(office.officeId, 'advice_software', adviceNode);
  lenderToken = await partyToken(office.officeId, 'lender', lenderNode);
  nodelessToken = await partyToken(office.officeId, 'lender', null);
  await orm.em
    .fork()
    .execute('insert into hdn_lenders (code, name, node_number) values (?, ?, ?)', [lenderCode, lenderName, lenderNode]);
  connection = await Connection.connect({ address: temporalAddress });
  client = new Client({ connection, namespace });
  app = buildApp({
    orm,
    temporal: { client, taskQueue, checkHealth: temporalHealthCheck(connection) },
    hdn: { node: OUR_NODE },
  });
  await app.ready();
}, 120_000);

afterAll(async () => {
  await app?.close();
  await connection?.close();
  await orm?.close(true);
});

// ---- message builders --------------------------------------------------------------------

let clock = 0;
/** Distinct send times, so two builds of "the same" message differ unless a test reuses the XML. */
function sentTime(): string {
  clock += 1;
  const s = clock % 60;
  const m = Math.floor(clock / 60) % 60;
  return `10:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

function header(type: HdnMessageType, applicationNumber: string, version: number, from: string, to = OUR_NODE): HdnHeader {
  return {
    senderNode: from,
    receiverNode: to,
    messageType: type,
    messageVersion: '24.0',
    ...(type === 'AX' ? { receiverCode: lenderCode } : {}),
    sentDate: '2026-11-23',
    sentTime: sentTime(),
    applicationNumber,
    applicationVersion: String(version),
  };
}

function applicant(position: number, overrides: Partial<HdnApplicant> = {}): HdnApplicant {
  return {
    position,
    firstName: position === 1 ? 'Anna' : 'Bram',
    lastName: `Jansen-${tag()}`,
    birthDate: position === 1 ? '1990-04-12' : '1988-09-30',
    email: `aanvrager.${tag().toLowerCase()}@example.nl`,
    phone: '0612345678',
    street: 'Dorpsstraat',
    houseNumber: 12,
    postcode: '1234AB',
    city: 'Utrecht',
    ...overrides,
  };
}

function ax(
  applicationNumber: string,
  applicants: HdnApplicant[],
  opts: { version?: number; from?: string; to?: string; receiverCode?: string } = {},
): string {
  const h = header('AX', applicationNumber, opts.version ?? 1, opts.from ?? adviceNode, opts.to);
  const message: HdnApplication = {
    type: 'AX',
    header: { ...h, receiverCode: opts.receiverCode ?? lenderCode },
    applicants,
    loanParts: [
      { number: '1', repaymentType: 'annuiteit', amountCents: 25_000_000, durationMonths: 360, fixedRateMonths: 120 },
      { number: '2', repaymentType: 'aflossingsvrij', amountCents: 5_000_000, durationMonths: 360 },
    ],
  };
  return buildHdn(message);
}

function sx(applicationNumber: string, statusCode: string, opts: { from?: string } = {}): string {
  const message: HdnStatus = { type: 'SX', header: header('SX', applicationNumber, 1, opts.from ?? lenderNode), statusCode };
  return buildHdn(message);
}

const applicationNumber = () => `T${Date.now().toString(36).toUpperCase()}${tag()}`;

// ---- helpers -----------------------------------------------------------------------------

const adviser = () => bearer(office.tokens.adviser);

function post(xml: string, token: string, contentType = 'application/xml') {
  return app.inject({ method: 'POST', url: '/hdn/messages', headers: { ...bearer(token), 'content-type': contentType }, payload: xml });
}

function expectProblem(res: { headers: Record<string, unknown>; json(): unknown; statusCode: number }, status: number) {
  expect(res.statusCode).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  const body = res.json() as Record<string, unknown>;
  expect(body).toMatchObject({ status, title: expect.any(String), type: expect.any(String), detail: expect.any(String) });
  return body as { detail: string; type: string; [k: string]: unknown };
}

async function messageCount(): Promise<number> {
  const found = await orm.em.fork().execute<{ n: number }[]>('select count(*)::int as n from hdn_messages where office_id = ?', [office.officeId]);
  return found[0]?.n ?? -1;
}

async function signalsOf(workflowId: string): Promise<number> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'lenderMessage').length;
}

async function receiveAndConvert(number: string, applicants: HdnApplicant[]) {
  const received = await post(ax(number, applicants), adviceToken);
  expect(received.statusCode).toBe(202);
  const converted = await app.inject({ method: 'POST', url: `/hdn/messages/${received.json().id}/convert`, headers: adviser(), payload: {} });
  expect(converted.statusCode).toBe(201);
  return { messageId: received.json().id as string, ...(converted.json() as { productId: string; dossierId: string; personIds: string[] }) };
}

// ---- tests -------------------------------------------------------------------------------

describe('POST /hdn/messages: checks before anything is stored', () => {
  it('403 for a role that may not send HDN messages (adviser)', async () => {
    const res = await post(ax(applicationNumber(), [applicant(1)]), office.tokens.adviser);
    expect(expectProblem(res, 403).detail).toMatch(/advice_software or lender/);
  });

  it('403 for a lender sending an AX, and for advice software sending an SX', async () => {
    const before = await messageCount();
    expect(expectProblem(await post(ax(applicationNumber(), [applicant(1)], { from: lenderNode }), lenderToken), 403).detail).toMatch(/may not send AX/);
    expect(expectProblem(await post(sx(applicationNumber(), '09', { from: adviceNode }), adviceToken), 403).detail).toMatch(/may not send SX/);
    expect(await messageCount()).toBe(before);
  });

  it('403 when VerzenderNrHDN is not the node of the credential, or the credential has no node', async () => {
    const before = await messageCount();
    const mismatch = expectProblem(await post(ax(applicationNumber(), [applicant(1)], { from: 'XX9999' }), adviceToken), 403);
    expect(mismatch.detail).toMatch(/XX9999/);
    const nodeless = expectProblem(await post(sx(applicationNumber(), '09'), nodelessToken), 403);
    expect(nodeless.detail).toMatch(/no HDN node/);
    expect(await messageCount()).toBe(before);
  });

  it('400 when OntvangerNrHDN is not our node', async () => {
    const res = await post(ax(applicationNumber(), [applicant(1)], { to: 'OTHER1' }), adviceToken);
    expect(expectProblem(res, 400).detail).toMatch(/OTHER1/);
  });

  it('400 with the codec message for malformed XML and for a DOCTYPE with entities; nothing stored', async () => {
    const before = await messageCount();
    const malformed = expectProblem(await post('<HDN><Header><BerichtSoort>AX</Header></HDN>', adviceToken), 400);
    expect(malformed.detail).toMatch(/well-formed/i);
    const valid = ax(applicationNumber(), [applicant(1)]);
    const withDoctype = valid.replace(/<HDN>/, '<!DOCTYPE HDN [<!ENTITY naam "Anna">]><HDN>');
    expect(withDoctype).toContain('<!DOCTYPE');
    const doctype = expectProblem(await post(withDoctype, adviceToken), 400);
    expect(doctype.detail).toMatch(/DOCTYPE|ENTITY/);
    expect(await messageCount()).toBe(before);
  });

  it('413 problem+json for a 30 MB body; nothing stored', async () => {
    const before = await messageCount();
    const huge = `<HDN>${'x'.repeat(30 * 1024 * 1024)}</HDN>`;
    const res = expectProblem(await post(huge, adviceToken), 413);
    expect(res.detail).toMatch(/20 MiB/);
    expect(await messageCount()).toBe(before);
  });

  it('415 for a JSON body', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/hdn/messages',
      headers: { ...bearer(adviceToken), 'content-type': 'application/json' },
      payload: { hello: 'world' },
    });
    expectProblem(res, 415);
  });
});

describe('AX in the inbox', () => {
  it('202 received, listed in the inbox without XML, detail with XML and the parsed application', async () => {
    const number = applicationNumber();
    const xml = ax(number, [applicant(1)]);
    const res = await post(xml, adviceToken, 'text/xml; charset=utf-8');
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ id: expect.any(String), type: 'AX', state: 'received', duplicate: false });

    const inbox = await app.inject({ method: 'GET', url: '/hdn/inbox?type=AX', headers: adviser() });
    expect(inbox.statusCode).toBe(200);
    const item = inbox.json().items.find((i: { id: string }) => i.id === res.json().id);
    expect(item).toMatchObject({ type: 'AX', state: 'received', applicationNumber: number, applicationVersion: 1 });
    expect(item).not.toHaveProperty('rawXml');
    expect(item.summary).not.toMatch(/Anna/);

    const detail = await app.inject({ method: 'GET', url: `/hdn/messages/${res.json().id}`, headers: adviser() });
    expect(detail.statusCode).toBe(200);
    expect(detail.json().rawXml).toBe(xml);
    expect(detail.json().parsed.applicants[0].firstName).toBe('Anna');

    expectProblem(await app.inject({ method: 'GET', url: `/hdn/messages/${res.json().id}`, headers: bearer(otherOffice.tokens.adviser) }), 404);
    const otherInbox = await app.inject({ method: 'GET', url: '/hdn/inbox', headers: bearer(otherOffice.tokens.adviser) });
    expect(otherInbox.json().items.map((i: { id: string }) => i.id)).not.toContain(res.json().id);
  });

  it('the same AX again: same id, duplicate true, one row', async () => {
    const xml = ax(applicationNumber(), [applicant(1)]);
    const first = await post(xml, adviceToken);
    const second = await post(xml, adviceToken);
    expect(second.statusCode).toBe(202);
    expect(second.json()).toEqual({ ...first.json(), duplicate: true });
    const rows = await orm.em.fork().execute<{ n: number }[]>('select count(*)::int as n from hdn_messages where id = ? or raw_xml = ?', [first.json().id, xml]);
    expect(rows[0]?.n).toBe(1);
  });
});

describe('convert an AX into a mortgage product', () => {
  it('refuses (422, naming the field) an applicant whose name holds a bidi override or whose birth date is out of range; makes nothing', async () => {
    const lastName = `Jansen-${tag()}`;
    const received = await post(ax(applicationNumber(), [applicant(1, { lastName: `${lastName}\u202Efdp.exe` }), applicant(2, { birthDate: '1899-12-31' })]), adviceToken);
    expect(received.statusCode).toBe(202);
    const res = await app.inject({ method: 'POST', url: `/hdn/messages/${received.json().id}/convert`, headers: adviser(), payload: {} });
    const problem = expectProblem(res, 422) as { errors?: { path: string }[] };
    expect(problem.errors?.map((e) => e.path)).toEqual(['/applicants/1/lastName', '/applicants/2/birthDate']);
    const found = await orm.em.fork().execute<{ n: number }[]>(`select count(*)::int as n from persons where office_id = ? and last_name like ?`, [office.officeId, `${lastName}%`]);
    expect(found[0]?.n).toBe(0);
  });

  it('reuses a person with the same birth date and name (fills the missing e-mail), creates the other, and is idempotent', async () => {
    const anna = applicant(1);
    const bram = applicant(2);
    // Anna is already known to the office, without e-mail and phone.
    const existing = await app.inject({
      method: 'POST',
      url: '/persons',
      headers: adviser(),
      payload: { firstName: 'anna', lastName: anna.lastName.toUpperCase(), birthDate: anna.birthDate },
    });
    expect(existing.statusCode).toBe(201);
    const annaId = existing.json().id as string;

    const number = applicationNumber();
    const received = await post(ax(number, [anna, bram]), adviceToken);
    const url = `/hdn/messages/${received.json().id}/convert`;
    const first = await app.inject({ method: 'POST', url, headers: adviser(), payload: {} });
    expect(first.statusCode).toBe(201);
    const result = first.json();
    expect(result.matchedPersons).toEqual([annaId]);
    expect(result.createdPersons).toHaveLength(1);
    expect(result.personIds).toEqual([annaId, result.createdPersons[0]]);

    const person = (await app.inject({ method: 'GET', url: `/persons/${annaId}`, headers: adviser() })).json();
    expect(person.email).toBe(anna.email);
    expect(person.lastName).toBe(anna.lastName.toUpperCase()); // known data is never overwritten
    expect(person.address).toMatchObject({ street: 'Dorpsstraat', houseNumber: 12, postcode: '1234AB' });

    const product = (await app.inject({ method: 'GET', url: `/products/${result.productId}`, headers: adviser() })).json();
    expect(product).toMatchObject({ type: 'mortgage', company: lenderName, processKey: 'mortgage', status: 'advies-ontvangen', dossierId: result.dossierId });
    expect(product.parts.map((p: { description: string }) => p.description)).toEqual([
      'Leningdeel 1: annuïteit € 250.000,00, 360 mnd',
      'Leningdeel 2: aflossingsvrij € 50.000,00, 360 mnd',
    ]);
    const dossier = (await app.inject({ method: 'GET', url: `/dossiers/${result.dossierId}`, headers: adviser() })).json();
    expect(dossier.status).toBe('prospect');
    expect(dossier.applicants.map((a: { person: { id: string } }) => a.person.id)).toEqual(result.personIds);

    // the product process was started (no worker here: the execution exists)
    const description = await client.workflow.getHandle(product.workflowId).describe();
    expect(description.type).toBe('productWorkflow');

    const again = await app.inject({ method: 'POST', url, headers: adviser(), payload: {} });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ productId: result.productId, dossierId: result.dossierId, personIds: result.personIds, alreadyConverted: true });

    const em = orm.em.fork();
    const persons = await em.execute<{ n: number }[]>(
      'select count(*)::int as n from persons where office_id = ? and lower(last_name) in (lower(?), lower(?))',
      [office.officeId, anna.lastName, bram.lastName],
    );
    expect(persons[0]?.n).toBe(2);
    const products = await em.execute<{ n: number }[]>('select count(*)::int as n from hdn_applications where office_id = ? and application_number = ?', [office.officeId, number]);
    expect(products[0]?.n).toBe(1);
    const stored = (await app.inject({ method: 'GET', url: `/hdn/messages/${received.json().id}`, headers: adviser() })).json();
    expect(stored).toMatchObject({ state: 'converted', productId: result.productId });
  });

  it('two convert calls at once make one product', async () => {
    const received = await post(ax(applicationNumber(), [applicant(1), applicant(2)]), adviceToken);
    const url = `/hdn/messages/${received.json().id}/convert`;
    const answers = await Promise.all([1, 2].map(() => app.inject({ method: 'POST', url, headers: adviser(), payload: {} })));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 201]);
    expect(answers[0]?.json().productId).toBe(answers[1]?.json().productId);
  });

  it('a second application of the same persons goes into their existing dossier', async () => {
    const anna = applicant(1);
    const first = await receiveAndConvert(applicationNumber(), [anna]);
    const second = await receiveAndConvert(applicationNumber(), [anna]);
    expect(second.dossierId).toBe(first.dossierId);
    expect(second.productId).not.toBe(first.productId);
    expect(second.personIds).toEqual(first.personIds);
  });

  it('a new AX version links to the same product and becomes the application version', async () => {
    const anna = applicant(1);
    const number = applicationNumber();
    const v1 = await receiveAndConvert(number, [anna]);
    const v2 = await post(ax(number, [anna], { version: 2 }), adviceToken);
    const converted = await app.inject({ method: 'POST', url: `/hdn/messages/${v2.json().id}/convert`, headers: adviser(), payload: {} });
    expect(converted.statusCode).toBe(200);
    expect(converted.json()).toMatchObject({ productId: v1.productId, alreadyConverted: true });
    const app2 = await orm.em.fork().execute<{ application_version: number; source_message_id: string }[]>(
      'select application_version, source_message_id from hdn_applications where product_id = ?',
      [v1.productId],
    );
    expect(app2[0]).toEqual({ application_version: 2, source_message_id: v2.json().id });
  });

  it('409 when the given dossier lacks the applicants; 422 for an unknown lender code; nothing made', async () => {
    const other = await receiveAndConvert(applicationNumber(), [applicant(1)]);
    const stranger = await post(ax(applicationNumber(), [applicant(1)]), adviceToken);
    const mismatch = await app.inject({
      method: 'POST',
      url: `/hdn/messages/${stranger.json().id}/convert`,
      headers: adviser(),
      payload: { dossierId: other.dossierId },
    });
    expect(expectProblem(mismatch, 409).detail).toMatch(/does not have every applicant/);

    const unknown = await post(ax(applicationNumber(), [applicant(1)], { receiverCode: 'NOPE' }), adviceToken);
    const res = await app.inject({ method: 'POST', url: `/hdn/messages/${unknown.json().id}/convert`, headers: adviser(), payload: {} });
    const body = expectProblem(res, 422);
    expect(body.detail).toMatch(/unknown lender code NOPE; known: .*TSTBANK/);
    for (const id of [stranger.json().id, unknown.json().id]) {
      const detail = (await app.inject({ method: 'GET', url: `/hdn/messages/${id}`, headers: adviser() })).json();
      expect(detail).toMatchObject({ state: 'received', productId: null });
    }
  });
});

describe('lender messages', () => {
  it('SX for a converted application is delivered to the product workflow once, also when sent twice', async () => {
    const { productId } = await receiveAndConvert(applicationNumber(), [applicant(1)]);
    const number = (await orm.em.fork().execute<{ application_number: string }[]>('select application_number from hdn_applications where product_id = ?', [productId]))[0]?.application_number ?? '';
    const xml = sx(number, '09');
    const first = await post(xml, lenderToken);
    expect(first.statusCode).toBe(202);
    expect(first.json()).toEqual({ id: expect.any(String), type: 'SX', state: 'delivered', duplicate: false });
    const workflowId = `product:${productId}`;
    expect(await signalsOf(workflowId)).toBe(1);

    const second = await post(xml, lenderToken);
    expect(second.json()).toEqual({ ...first.json(), duplicate: true });
    expect(await signalsOf(workflowId)).toBe(1);

    const messages = await app.inject({ method: 'GET', url: `/products/${productId}/hdn-messages`, headers: adviser() });
    expect(messages.statusCode).toBe(200);
    expect(messages.json().items.map((m: { type: string; state: string }) => [m.type, m.state])).toEqual([
      ['AX', 'converted'],
      ['SX', 'delivered'],
    ]);
    expect(messages.json().items[1]).toMatchObject({ statusCode: '09', summary: expect.stringContaining('SX 09') });
    expect(messages.json().items[0]).not.toHaveProperty('rawXml');
    const withXml = await app.inject({ method: 'GET', url: `/products/${productId}/hdn-messages?includeXml=true`, headers: adviser() });
    expect(withXml.json().items[1].rawXml).toBe(xml);

    const lines = await app.inject({ method: 'GET', url: `/products/${productId}/document-lines`, headers: adviser() });
    expect(lines.statusCode).toBe(200);
    expect(lines.json()).toEqual({ items: [] });

    expectProblem(await app.inject({ method: 'GET', url: `/products/${productId}/hdn-messages`, headers: bearer(otherOffice.tokens.adviser) }), 404);
  });

  it('SX for an unknown application is parked with a reason, then routed by hand once the AX is converted', async () => {
    const number = applicationNumber();
    const parked = await post(sx(number, '10'), lenderToken);
    expect(parked.statusCode).toBe(202);
    expect(parked.json()).toMatchObject({ state: 'parked', reason: `Geen aanvraag ${number} in dit kantoor`, duplicate: false });
    const inbox = (await app.inject({ method: 'GET', url: '/hdn/inbox?state=parked', headers: adviser() })).json();
    expect(inbox.items.map((i: { id: string }) => i.id)).toContain(parked.json().id);

    const unrelated = await receiveAndConvert(applicationNumber(), [applicant(1)]);
    const route = (productId: string) =>
      app.inject({ method: 'POST', url: `/hdn/messages/${parked.json().id}/route`, headers: adviser(), payload: { productId } });
    expect(expectProblem(await route(unrelated.productId), 409).detail).toMatch(/application/);

    const { productId } = await receiveAndConvert(number, [applicant(1)]);
    const routed = await route(productId);
    expect(routed.statusCode).toBe(200);
    expect(routed.json()).toMatchObject({ id: parked.json().id, type: 'SX', state: 'delivered' });
    expect(await signalsOf(`product:${productId}`)).toBe(1);
    expect(expectProblem(await route(productId), 409).detail).toMatch(/not parked/);
  });

  it("a lender message for a product whose process has ended is recorded with the reason", async () => {
    const { productId } = await receiveAndConvert(applicationNumber(), [applicant(1)]);
    const number = (await orm.em.fork().execute<{ application_number: string }[]>('select application_number from hdn_applications where product_id = ?', [productId]))[0]?.application_number ?? '';
    await client.workflow.getHandle(`product:${productId}`).terminate('test: the process has ended');
    const res = await post(sx(number, '20'), lenderToken);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ type: 'SX', state: 'recorded', reason: 'het proces van het product is beëindigd', duplicate: false });
    expect(await signalsOf(`product:${productId}`)).toBe(0);
  });

  it('Temporal down: 503, the message stays stored; resending delivers it', async () => {
    const { productId } = await receiveAndConvert(applicationNumber(), [applicant(1)]);
    const number = (await orm.em.fork().execute<{ application_number: string }[]>('select application_number from hdn_applications where product_id = ?', [productId]))[0]?.application_number ?? '';
    const down: TemporalDeps = {
      client: {
        withDeadline: <R>(_deadline: number | Date, fn: () => Promise<R>) => fn(),
        workflow: {
          signalWithStart: async (_wf: unknown, _options: WorkflowSignalWithStartOptions) => {
            throw new Error('14 UNAVAILABLE: connect ECONNREFUSED 127.0.0.1:7233');
          },
        },
      } as unknown as Client,
      taskQueue,
      checkHealth: async () => undefined,
    };
    const downApp = buildApp({ orm, temporal: down, hdn: { node: OUR_NODE } });
    await downApp.ready();
    try {
      const xml = sx(number, '10');
      const res = await downApp.inject({ method: 'POST', url: '/hdn/messages', headers: { ...bearer(lenderToken), 'content-type': 'application/xml' }, payload: xml });
      expect(expectProblem(res, 503).detail).toMatch(/stored; delivery will be retried when you resend/);
      const stored = await orm.em.fork().execute<{ id: string; state: string }[]>('select id, state from hdn_messages where raw_xml = ?', [xml]);
      expect(stored).toEqual([{ id: expect.any(String), state: 'received' }]);

      const resent = await post(xml, lenderToken);
      expect(resent.json()).toEqual({ id: stored[0]?.id, type: 'SX', state: 'delivered', duplicate: true });
      expect(await signalsOf(`product:${productId}`)).toBe(1);
    } finally {
      await downApp.close();
    }
  });
});

// ---- the public HDN structure (issue 17) ---------------------------------------------------

/**
 * A public-shape message from the mapping's SYNTHETIC fixtures (integrations/hdn/mapping/
 * test-fixtures/*-24.xml), addressed from our test lender to us about `number`.
 */
function publicMessage(file: 'sx-24.xml' | 'ox-24.xml' | 'da-24.xml', number: string, change: (xml: string) => string = (x) => x): string {
  const xml = readFileSync(new URL(`../../integrations/hdn/mapping/test-fixtures/${file}`, import.meta.url), 'utf8')
    .replace(/<VerzenderNrHDN>[^<]*</, `<VerzenderNrHDN>${lenderNode}<`)
    .replace(/<OntvangerNrHDN>[^<]*</, `<OntvangerNrHDN>${OUR_NODE}<`)
    .replace(/<AanvraagVolgNr>[^<]*</, `<AanvraagVolgNr>${number}<`)
    .replace(/<AanvraagVersie>[^<]*</, '<AanvraagVersie>1<')
    .replace(/<VerzendTijd>[^<]*</, `<VerzendTijd>${sentTime()}<`);
  return change(xml);
}

const publicSx = (number: string, code: string) => publicMessage('sx-24.xml', number, (x) => x.replace('<StatusAXBericht>22<', `<StatusAXBericht>${code}<`));

/** The facts of the last lenderMessage signal a product's workflow got. */
async function lastSignal(workflowId: string): Promise<Record<string, unknown>> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const signals = (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'lenderMessage');
  const data = signals.at(-1)?.workflowExecutionSignaledEventAttributes?.input?.payloads?.[0]?.data;
  if (!data) throw new Error(`no lenderMessage signal on ${workflowId}`);
  return JSON.parse(Buffer.from(data).toString('utf8')) as Record<string, unknown>;
}

async function numberOf(productId: string): Promise<string> {
  return (await orm.em.fork().execute<{ application_number: string }[]>('select application_number from hdn_applications where product_id = ?', [productId]))[0]?.application_number ?? '';
}

type Item = { id: string; type: string; state: string; statusCode: string | null; codes?: { code: string; status: string; list: string; note: string }[]; rawXml?: string };

async function productItems(productId: string): Promise<Item[]> {
  return (await app.inject({ method: 'GET', url: `/products/${productId}/hdn-messages?includeXml=true`, headers: adviser() })).json().items as Item[];
}

describe('lender messages in the public HDN structure (header inside the message, mapping 24.0)', () => {
  it('an SX, an OX and a DA are read, stored as received and delivered; a legacy <HDN> SX beside them still shows', async () => {
    const { productId } = await receiveAndConvert(applicationNumber(), [applicant(1)]);
    const number = await numberOf(productId);
    const workflowId = `product:${productId}`;

    const legacy = sx(number, '09');
    expect(legacy).toMatch(/<HDN>/);
    expect((await post(legacy, lenderToken)).json()).toMatchObject({ type: 'SX', state: 'delivered' });

    const sxXml = publicSx(number, '10');
    expect(sxXml).not.toMatch(/<HDN>/);
    expect((await post(sxXml, lenderToken)).json()).toMatchObject({ type: 'SX', state: 'delivered', duplicate: false });
    // The workflow gets the status from Status/AXBerichtStatusSpecificatie/StatusAXBericht and the offer link from Kenmerk.
    expect(await lastSignal(workflowId)).toMatchObject({ type: 'SX', statusCode: '10', offerNumber: 'OF-2026-0042', applicationNumber: number, enabledUnverifiedSx: [] });

    const oxXml = publicMessage('ox-24.xml', number);
    expect((await post(oxXml, lenderToken)).json()).toMatchObject({ type: 'OX', state: 'delivered' });
    // OfferteData/Kenmerk is the offer number; the dates come from AcceptatieDt / GeldigheidsDt.
    expect(await lastSignal(workflowId)).toMatchObject({ type: 'OX', offerNumber: 'OF-2026-0042', offerType: '18', acceptanceDate: '2026-03-18', validityDate: '2026-06-30' });

    const daXml = publicMessage('da-24.xml', number);
    expect((await post(daXml, lenderToken)).json()).toMatchObject({ type: 'DA', state: 'delivered' });
    expect(await lastSignal(workflowId)).toMatchObject({ type: 'DA', lines: 3 });

    const items = await productItems(productId);
    expect(items.map((m) => [m.type, m.statusCode, m.rawXml === undefined ? '' : m.rawXml.includes('<HDN>') ? 'legacy' : 'public'])).toEqual([
      ['AX', null, 'legacy'],
      ['SX', '09', 'legacy'],
      ['SX', '10', 'public'],
      ['OX', null, 'public'],
      ['DA', null, 'public'],
    ]);
    // Stored byte for byte as received (evidence), whatever the shape.
    expect(items.map((m) => m.rawXml).slice(1)).toEqual([legacy, sxXml, oxXml, daXml]);
    // The DA's unknown SoortDocument 777 is recorded with it and said in words; the others have none.
    expect(items[4]?.codes).toEqual([
      { field: 'lines[3].documentKind', element: 'DA/Document[3]/SoortDocument', list: 'documentKind', code: '777', status: 'unknown', note: 'onbekende documentsoort 777 (lines[3])' },
    ]);
    expect(items.slice(0, 4).every((m) => m.codes === undefined)).toBe(true);
    // The one-line summaries come from the same reader.
    const summaries = (await app.inject({ method: 'GET', url: `/products/${productId}/hdn-messages`, headers: adviser() })).json().items.map((m: { summary: string }) => m.summary);
    expect(summaries[2]).toMatch(/SX 10/);
    expect(summaries[3]).toMatch(/OF-2026-0042/);

    // Every stored message still opens in the detail view, legacy and public alike.
    for (const m of items) {
      const detail = await app.inject({ method: 'GET', url: `/hdn/messages/${m.id}`, headers: adviser() });
      expect(detail.statusCode, m.type).toBe(200);
      expect(detail.json().rawXml).toBe(m.rawXml);
    }
  });

  it('an SX with status 77 (not in the 24.0 list) is stored, delivered and shows "unknown status 77"; parked, the inbox shows it too', async () => {
    const { productId } = await receiveAndConvert(applicationNumber(), [applicant(1)]);
    const res = await post(publicSx(await numberOf(productId), '77'), lenderToken);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ type: 'SX', state: 'delivered' });
    expect(await lastSignal(`product:${productId}`)).toMatchObject({ statusCode: '77' });
    const item = (await productItems(productId)).find((m) => m.id === res.json().id);
    expect(item).toMatchObject({ statusCode: '77', codes: [{ code: '77', status: 'unknown', list: 'sxStatus', note: 'onbekende status 77' }] });
    const stored = await orm.em.fork().execute<{ codes: unknown }[]>('select codes from hdn_messages where id = ?', [res.json().id]);
    expect(stored[0]?.codes).toEqual([{ field: 'statusCode', element: 'SX/Status/AXBerichtStatusSpecificatie/StatusAXBericht', list: 'sxStatus', code: '77', status: 'unknown' }]);

    const parked = await post(publicSx(applicationNumber(), '77'), lenderToken);
    expect(parked.json()).toMatchObject({ state: 'parked' });
    const inbox = (await app.inject({ method: 'GET', url: '/hdn/inbox?state=parked&type=SX', headers: adviser() })).json();
    expect(inbox.items.find((i: Item) => i.id === parked.json().id)?.codes?.map((c: { note: string }) => c.note)).toEqual(['onbekende status 77']);
  });

  it('SX 31: recorded as unverified and signalled with nothing enabled; with HDN_ENABLED_UNVERIFIED_CODES=31 known and signalled as enabled', async () => {
    const { productId } = await receiveAndConvert(applicationNumber(), [applicant(1)]);
    const number = await numberOf(productId);
    const off = await post(publicSx(number, '31'), lenderToken);
    expect(off.json()).toMatchObject({ state: 'delivered' });
    expect(await lastSignal(`product:${productId}`)).toMatchObject({ statusCode: '31', enabledUnverifiedSx: [] });
    expect((await productItems(productId)).find((m) => m.id === off.json().id)?.codes?.map((c) => c.note)).toEqual(['niet-officiële status 31 (niet aangezet door dit kantoor)']);

    const enabledApp = buildApp({ orm, temporal: { client, taskQueue, checkHealth: temporalHealthCheck(connection) }, hdn: { node: OUR_NODE, enabledUnverifiedCodes: { sxStatus: ['31'] } } });
    await enabledApp.ready();
    try {
      const on = await enabledApp.inject({ method: 'POST', url: '/hdn/messages', headers: { ...bearer(lenderToken), 'content-type': 'application/xml' }, payload: publicSx(number, '31') });
      expect(on.json()).toMatchObject({ state: 'delivered' });
      expect(await lastSignal(`product:${productId}`)).toMatchObject({ statusCode: '31', enabledUnverifiedSx: ['31'] });
      expect((await productItems(productId)).find((m) => m.id === on.json().id)?.codes).toBeUndefined();
    } finally {
      await enabledApp.close();
    }
  });

  it('a parked public SX routed by hand carries the office setting to the product', async () => {
    const number = applicationNumber();
    const parked = await post(publicSx(number, '31'), lenderToken);
    expect(parked.json()).toMatchObject({ state: 'parked' });
    const { productId } = await receiveAndConvert(number, [applicant(1)]);
    const enabledApp = buildApp({ orm, temporal: { client, taskQueue, checkHealth: temporalHealthCheck(connection) }, hdn: { node: OUR_NODE, enabledUnverifiedCodes: { sxStatus: ['31'] } } });
    await enabledApp.ready();
    try {
      const routed = await enabledApp.inject({ method: 'POST', url: `/hdn/messages/${parked.json().id}/route`, headers: adviser(), payload: { productId } });
      expect(routed.json()).toMatchObject({ state: 'delivered' });
      expect(await lastSignal(`product:${productId}`)).toMatchObject({ statusCode: '31', enabledUnverifiedSx: ['31'] });
    } finally {
      await enabledApp.close();
    }
  });

  it('400 naming the element for a public SX without its status code, and for a version we cannot read; nothing stored', async () => {
    const before = await messageCount();
    const missing = expectProblem(await post(publicMessage('sx-24.xml', applicationNumber(), (x) => x.replace(/<StatusAXBericht>22<\/StatusAXBericht>/, '')), lenderToken), 400);
    expect(missing).toMatchObject({ element: 'SX/Status/AXBerichtStatusSpecificatie/StatusAXBericht' });
    const old = expectProblem(await post(publicMessage('sx-24.xml', applicationNumber(), (x) => x.replace('<BerichtVersie>24.0<', '<BerichtVersie>12.0<')), lenderToken), 400);
    expect(old.element).toBe('SX/Header/BerichtVersie');
    expect(await messageCount()).toBe(before);
  });
});

describe('XSD validation (XSD_DIR_HDN)', () => {
  /** SYNTHETIC schema written for this test (not HDN's): SX status codes 09 and 10 only. */
  const schema = `<?xml version="1.0" encoding="UTF-8"?>
<!-- SYNTHETIC test schema, not an HDN member XSD -->
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:element name="HDN"><xs:complexType><xs:sequence>
    <xs:element name="Header"><xs:complexType><xs:sequence><xs:any processContents="skip" maxOccurs="unbounded"/></xs:sequence></xs:complexType></xs:element>
    <xs:element name="SX"><xs:complexType><xs:sequence>
      <xs:element name="StatusCode"><xs:simpleType><xs:restriction base="xs:string"><xs:pattern value="09|10"/></xs:restriction></xs:simpleType></xs:element>
      <xs:any processContents="skip" minOccurs="0" maxOccurs="unbounded"/>
    </xs:sequence></xs:complexType></xs:element>
  </xs:sequence></xs:complexType></xs:element>
</xs:schema>`;

  it('stores a message that fails the office XSD and parks it with the validator words; a valid one is routed as before', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hdn-xsd-'));
    writeFileSync(path.join(dir, 'hdn.xsd'), schema);
    const pool = new XmlParsePool({ threads: 1 });
    const xsdApp = buildApp({
      orm,
      temporal: { client, taskQueue, checkHealth: temporalHealthCheck(connection) },
      hdn: { node: OUR_NODE },
      xml: { pool, bodyLimits: { ...defaultXmlBodyLimits }, xsd: xsdHookFromSettings({ xsdDirHdn: dir }, pool) },
    });
    await xsdApp.ready();
    const send = (xml: string) => xsdApp.inject({ method: 'POST', url: '/hdn/messages', headers: { ...bearer(lenderToken), 'content-type': 'application/xml' }, payload: xml });
    try {
      const number = applicationNumber();
      const failing = sx(number, '22');
      const parked = await send(failing);
      expect(parked.statusCode).toBe(202);
      expect(parked.json()).toMatchObject({
        type: 'SX',
        state: 'parked',
        duplicate: false,
        reason: expect.stringMatching(/^Fails XSD validation against hdn\.xsd: line \d+: Element 'StatusCode': \[facet 'pattern'\] The value '22' is not accepted by the pattern '09\|10'/),
      });
      const stored = await orm.em.fork().execute<{ state: string; raw_xml: string }[]>('select state, raw_xml from hdn_messages where id = ?', [parked.json().id]);
      expect(stored).toEqual([{ state: 'parked', raw_xml: failing }]);
      // A redelivery gets the first answer; it is not validated or parked again.
      expect((await send(failing)).json()).toMatchObject({ id: parked.json().id, state: 'parked', duplicate: true });

      // Valid against the XSD: on to routing (no application in this office: parked for that reason).
      const valid = await send(sx(applicationNumber(), '10'));
      expect(valid.json()).toMatchObject({ state: 'parked', reason: expect.stringMatching(/^Geen aanvraag .* in dit kantoor$/) });
    } finally {
      await xsdApp.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('OpenAPI', () => {
  it('lists the HDN routes under the hdn tag', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(doc.paths['/hdn/messages'].post.tags).toEqual(['hdn']);
    expect(Object.keys(doc.paths['/hdn/messages'].post.requestBody.content)).toEqual(['application/xml', 'text/xml']);
    expect(doc.paths['/hdn/messages/{id}/convert'].post.tags).toEqual(['hdn']);
  });
});
