/**
 * RISK over HTTP against a real PostgreSQL and a real Temporal (TEMPORAL_ADDRESS from the
 * global setup). No worker polls this file's task queue: signal-with-start still creates the
 * insurance workflow execution, so routing is visible in Temporal and in the stored rows.
 */
import type { FastifyInstance } from 'fastify';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { temporalHealthCheck } from '../../integrations/temporal/health.js';
import { issueCredential } from '../../services/access/store.js';
import { newId } from '../../db/ids.js';
import type { MikroORM } from '../../db/orm.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineRiskAfdMapping, writeRiskAfd } from '../../integrations/risk/afd-mapping.js';
import { writeRiskAfd2Json } from '../../integrations/risk/afd2-json.js';
import { buildLegacyRisk } from '../../integrations/risk/legacy-codec.js';
import syntheticMapping from '../../integrations/risk/fixtures/afd-mapping.synthetic.json' with { type: 'json' };
import type { RiskMessage } from '../../integrations/risk/types.js';
import { XmlParsePool, xsdHookFromSettings } from '../../integrations/xml/index.js';
import { defaultXmlBodyLimits } from '../../api/plugins/xml-body.js';
import { bearer, createTestOffice, ensureShippedProcesses, openOrm, uniquePerson, type TestOffice } from './support.js';

const temporalAddress = process.env.TEMPORAL_ADDRESS ?? '';
if (!temporalAddress) throw new Error('risk.test: TEMPORAL_ADDRESS is not set (the vitest global setup provides it)');

let orm: MikroORM;
let app: FastifyInstance;
let connection: Connection;
let client: Client;
let office: TestOffice;
let riskToken: string;
let otherRiskToken: string;
const taskQueue = `risk-api-test-${newId().slice(0, 8)}`;
/** RISK's AFD codes are not public: the SYNTHETIC mapping (as `npm start` uses with the simulated RISK). */
const mapping = defineRiskAfdMapping(syntheticMapping);
const buildRisk = (m: RiskMessage): string => writeRiskAfd(m, mapping);

beforeAll(async () => {
  orm = await openOrm();
  await ensureShippedProcesses(orm);
  office = await createTestOffice(orm, 'RISK-kantoor');
  const other = await createTestOffice(orm, 'Ander RISK-kantoor');
  riskToken = (await issueCredential(orm.em.fork(), { officeId: office.officeId, name: 'test risk', role: 'risk' })).token;
  otherRiskToken = (await issueCredential(orm.em.fork(), { officeId: other.officeId, name: 'test risk', role: 'risk' })).token;
  connection = await Connection.connect({ address: temporalAddress });
  client = new Client({ connection });
  app = buildApp({ orm, temporal: { client, taskQueue, checkHealth: temporalHealthCheck(connection) }, risk: { client: undefined, mapping } });
  await app.ready();
}, 120_000);

afterAll(async () => {
  await app?.close();
  await connection?.close();
  await orm?.close(true);
});

const tag = () => newId().replace(/-/g, '').slice(0, 8).toUpperCase();

function message(overrides: Partial<RiskMessage> = {}): RiskMessage {
  return {
    messageId: `MSG-${tag()}`,
    kind: 'final',
    version: 2,
    eventAt: '2026-11-23T09:15:00.000Z',
    policyNumber: `RQ-${tag()}`,
    insurerCode: 'RISK',
    branch: 'SYN-AUTO',
    startDate: '2027-01-01',
    premiumCents: 5740,
    paymentTermMonths: 1,
    relation: { lastName: 'Onbekend', birthDate: '1950-01-01' },
    coverages: [{ code: 'WA', description: 'Wettelijke aansprakelijkheid', premiumCents: 5740 }],
    documents: [],
    ...overrides,
  };
}

const post = (xml: string, token = riskToken, contentType = 'application/xml') =>
  app.inject({ method: 'POST', url: '/risk/messages', headers: { ...bearer(token), 'content-type': contentType }, payload: xml });

async function countMessages(): Promise<number> {
  const r = (await orm.em.fork().execute('select count(*)::int as n from risk_messages where office_id = ?', [office.officeId], 'all')) as { n: number }[];
  return r[0]!.n;
}

async function dossierWith(person: Record<string, unknown>): Promise<{ dossierId: string; personId: string }> {
  const res = await app.inject({ method: 'POST', url: '/dossiers', headers: bearer(office.tokens.adviser), payload: { applicants: [{ person }] } });
  expect(res.statusCode, res.body).toBe(201);
  const body = res.json() as { id: string; applicants: { person: { id: string } }[] };
  return { dossierId: body.id, personId: body.applicants[0]!.person.id };
}

describe('RISK webhook: authentication and bad payloads (nothing stored)', () => {
  it('401 without or with a wrong token, 403 for a non-RISK role', async () => {
    const xml = buildRisk(message());
    const before = await countMessages();
    expect((await app.inject({ method: 'POST', url: '/risk/messages', headers: { 'content-type': 'application/xml' }, payload: xml })).statusCode).toBe(401);
    const wrong = await post(xml, 'dfl_risk_not-a-real-token');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['content-type']).toMatch(/application\/problem\+json/);
    const lender = await post(xml, office.tokens.lender);
    expect(lender.statusCode).toBe(403);
    expect(lender.json().detail).toBeTruthy();
    expect(await countMessages()).toBe(before);
  });

  it('400 with the element at fault for invalid AFD, 400 for DOCTYPE, 415 for JSON; nothing stored', async () => {
    const before = await countMessages();
    const bad = await post(buildRisk(message()).replace(/<PP_NUMMER>[^<]*<\/PP_NUMMER>/, ''));
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ element: 'Contractdocument/PP/PP_NUMMER', riskErrorType: 'RiskInvalid' });
    const xxe = await post('<?xml version="1.0"?><!DOCTYPE AFD [<!ENTITY x SYSTEM "file:///etc/passwd">]><AFD>&x;</AFD>');
    expect(xxe.statusCode).toBe(400);
    expect(xxe.json().riskErrorType).toBe('RiskForbiddenConstruct');
    const text = await post('PP_NUMMER=1', riskToken, 'text/plain');
    expect(text.statusCode).toBe(415);
    // AFD 2.0 JSON is read (application/json), and refused naming the JSON path.
    const json = await post('{"afdVersion":"2.0","message":{}}', riskToken, 'application/json');
    expect(json.statusCode).toBe(400);
    expect(json.json()).toMatchObject({ element: 'policy', riskErrorType: 'RiskInvalid' });
    // The content type decides the reader: XML declared as JSON, JSON declared as XML.
    expect((await post(buildRisk(message()), riskToken, 'application/json')).json().detail).toMatch(/afd1-xml is not accepted/);
    expect((await post(writeRiskAfd2Json(message(), mapping))).json().detail).toMatch(/afd2-json is not accepted/);
    // Our old invented <AFD> shape is only for rows stored before: refused as new input.
    const legacy = await post(buildLegacyRisk(message()));
    expect(legacy.statusCode).toBe(400);
    expect(legacy.json()).toMatchObject({ element: 'AFD', riskErrorType: 'RiskInvalid' });
    // The built-in mapping has no AL_FUNCTIE codes (not public): without RISK_AFD_MAPPING every message is refused, saying so.
    const defaultApp = buildApp({ orm, temporal: { client, taskQueue, checkHealth: temporalHealthCheck(connection) } });
    try {
      const refused = await defaultApp.inject({ method: 'POST', url: '/risk/messages', headers: { ...bearer(riskToken), 'content-type': 'application/xml' }, payload: buildRisk(message()) });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().detail).toMatch(/none configured: RISK must supply its AL_FUNCTIE codes/);
    } finally {
      await defaultApp.close();
    }
    expect(await countMessages()).toBe(before);
  });
});

describe('RISK webhook: store, deduplicate, match, route', () => {
  it('an unmatched message waits in the inbox; the same message again is the same answer', async () => {
    const m = message();
    const first = await post(buildRisk(m));
    expect(first.statusCode, first.body).toBe(202);
    expect(first.json()).toMatchObject({ state: 'waiting', duplicate: false, productId: null });
    expect(first.json().reason).toMatch(/Geen dossier gevonden/);
    const again = await post(buildRisk(m));
    expect(again.json()).toMatchObject({ id: first.json().id, state: 'waiting', duplicate: true });
    const inbox = await app.inject({ method: 'GET', url: '/risk/inbox?state=waiting', headers: bearer(office.tokens.adviser) });
    expect(inbox.statusCode).toBe(200);
    const item = (inbox.json() as { id: string; summary: string }[]).find((i) => i.id === first.json().id);
    expect(item?.summary).toContain(m.policyNumber);
    expect(item?.summary).not.toContain('Onbekend');
    // Another office's RISK sending the same message id: its own row, nothing revealed.
    const elsewhere = await post(buildRisk(m), otherRiskToken);
    expect(elsewhere.statusCode).toBe(202);
    expect(elsewhere.json().id).not.toBe(first.json().id);
  });

  it('an adviser completes the match by hand: one insurance product, delivered to insurance:<id>', async () => {
    const person = uniquePerson();
    const { dossierId, personId } = await dossierWith(person);
    const m = message({ relation: { relationNumber: `REL-${tag()}`, lastName: 'Anders', birthDate: '1970-02-02' } });
    const first = await post(buildRisk(m));
    expect(first.json().state).toBe('waiting');
    const matched = await app.inject({
      method: 'POST',
      url: `/risk/messages/${first.json().id}/match`,
      headers: bearer(office.tokens.adviser),
      payload: { dossierId, personId },
    });
    expect(matched.statusCode, matched.body).toBe(200);
    expect(matched.json().state).toBe('delivered');
    const productId = matched.json().productId as string;
    const product = await app.inject({ method: 'GET', url: `/products/${productId}`, headers: bearer(office.tokens.adviser) });
    expect(product.json()).toMatchObject({ type: 'insurance', dossierId, status: 'offerte-aangevraagd', workflowId: `insurance:${productId}` });
    const d = await client.workflow.getHandle(`insurance:${productId}`).describe();
    expect(d.type).toBe('insuranceWorkflow');
    // The relation number is learned: the next message with it is matched automatically.
    const next = await post(buildRisk(message({ policyNumber: `RQ-${tag()}`, relation: m.relation })));
    expect(next.json().state).toBe('delivered');
    expect(next.json().productId).not.toBe(productId);
    // Matching again is refused: it is no longer waiting.
    const twice = await app.inject({ method: 'POST', url: `/risk/messages/${first.json().id}/match`, headers: bearer(office.tokens.adviser), payload: { dossierId } });
    expect(twice.statusCode).toBe(409);
  });

  it('two first events of one policy sent concurrently: one product, both delivered to it', async () => {
    const person = uniquePerson({ birthDate: '1985-06-15' });
    const { dossierId } = await dossierWith(person);
    const policyNumber = `RQ-${tag()}`;
    const relation = { lastName: String(person.lastName), birthDate: '1985-06-15' };
    const a = message({ policyNumber, relation, version: 3, kind: 'mutation', premiumCents: 7000, eventAt: '2026-11-24T10:00:00.000Z' });
    const b = message({ policyNumber, relation, version: 4, kind: 'mutation', premiumCents: 9000, eventAt: '2026-11-24T10:00:01.000Z' });
    const [ra, rb] = await Promise.all([post(buildRisk(a)), post(buildRisk(b))]);
    expect(ra.statusCode, ra.body).toBe(202);
    expect(rb.statusCode, rb.body).toBe(202);
    expect(ra.json().state).toBe('delivered');
    expect(rb.json().productId).toBe(ra.json().productId);
    const products = (await orm.em
      .fork()
      .execute(`select count(*)::int as n from products where dossier_id = ? and type = 'insurance'`, [dossierId], 'all')) as { n: number }[];
    expect(products[0]!.n).toBe(1);
  });

  it('a quote request creates one insurance product with its coverages as parts (400 on bad input)', async () => {
    const { dossierId } = await dossierWith(uniquePerson());
    const bad = await app.inject({ method: 'POST', url: `/dossiers/${dossierId}/insurance-quotes`, headers: bearer(office.tokens.adviser), payload: { branch: '20', startDate: '2027-01-01', coverages: [] } });
    expect(bad.statusCode).toBe(400);
    const res = await app.inject({
      method: 'POST',
      url: `/dossiers/${dossierId}/insurance-quotes`,
      headers: bearer(office.tokens.adviser),
      payload: { branch: '020', startDate: '2027-01-01', coverages: [{ code: 'WA', description: 'Aansprakelijkheid' }, { code: 'CASCO', description: 'Casco' }] },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { productId } = res.json() as { productId: string };
    const product = await app.inject({ method: 'GET', url: `/products/${productId}`, headers: bearer(office.tokens.adviser) });
    expect(product.json().parts.map((p: { description: string }) => p.description)).toEqual(['Aansprakelijkheid (WA)', 'Casco (CASCO)']);
    const view = await app.inject({ method: 'GET', url: `/products/${productId}/insurance`, headers: bearer(office.tokens.adviser) });
    expect(view.json()).toMatchObject({ externalRef: null, branch: '020', startDate: '2027-01-01', history: [] });
    // A RISK message echoing our reference is routed to this product, which adopts the number.
    const echoed = await post(buildRisk(message({ adviserReference: productId })));
    expect(echoed.json()).toMatchObject({ state: 'delivered', productId });
  });
});

describe('RISK on SIVI AFD: AFD 2.0 JSON, notes in the inbox, rows in the old shape', () => {
  type InboxItem = { id: string; summary: string; notes: string[]; state: string };
  const inbox = async (state: string): Promise<InboxItem[]> => {
    const res = await app.inject({ method: 'GET', url: `/risk/inbox?state=${state}`, headers: bearer(office.tokens.adviser) });
    expect(res.statusCode).toBe(200);
    return res.json() as InboxItem[];
  };

  it('AFD 2.0 JSON (application/json) is stored as received and routed like XML; a redelivery is a duplicate', async () => {
    const m = message();
    const body = writeRiskAfd2Json(m, mapping);
    const first = await post(body, riskToken, 'application/json');
    expect(first.statusCode, first.body).toBe(202);
    expect(first.json()).toMatchObject({ state: 'waiting', duplicate: false });
    const stored = await orm.em.fork().execute<{ raw_xml: string; message_key: string; version: number }[]>('select raw_xml, message_key, version from risk_messages where id = ?', [first.json().id]);
    expect(stored).toEqual([{ raw_xml: body, message_key: m.messageId, version: 2 }]);
    expect((await post(body, riskToken, 'application/json')).json()).toMatchObject({ id: first.json().id, duplicate: true });
  });

  it('what the mapping cannot explain is stored with the message and shown in the inbox', async () => {
    const m = message();
    const xml = buildRisk(m).replace('<PP_BRANCHE>SYN-AUTO</PP_BRANCHE>', '<PP_BRANCHE>020</PP_BRANCHE>');
    const res = await post(xml);
    expect(res.statusCode, res.body).toBe(202);
    const item = (await inbox('waiting')).find((i) => i.id === res.json().id);
    expect(item?.notes).toContain('onbekende branche 020: geen dekkingsentiteit in de mapping (Contractdocument/PP/PP_BRANCHE)');
    expect(item?.notes).toContain('onbekende code RISK in lijst PORMAA (Contractdocument/PP/PP_MYAAND)');
    // The coverages of the unknown branch were kept.
    expect(item?.summary).toContain('1 dekking(en)');
  });

  it('a row stored in our old <AFD> shape stays readable: listed, and matched by hand like any other', async () => {
    const { dossierId, personId } = await dossierWith(uniquePerson());
    const m = message({ branch: '020' });
    const id = newId();
    await orm.em.fork().execute(
      `insert into risk_messages (id, office_id, message_key, kind, policy_number, version, event_at, summary, raw_xml, source, state, reason)
       values (?, ?, ?, 'final', ?, 2, ?, 'DEFINITIEF (old row)', ?, 'webhook', 'waiting', 'No dossier matched: before issue 17')`,
      [id, office.officeId, m.messageId, m.policyNumber, m.eventAt, buildLegacyRisk(m)],
    );
    const item = (await inbox('waiting')).find((i) => i.id === id);
    expect(item).toMatchObject({ notes: [], summary: 'DEFINITIEF (old row)' });
    const matched = await app.inject({ method: 'POST', url: `/risk/messages/${id}/match`, headers: bearer(office.tokens.adviser), payload: { dossierId, personId } });
    expect(matched.statusCode, matched.body).toBe(200);
    expect(matched.json().state).toBe('delivered');
    const policy = await orm.em.fork().execute<{ external_ref: string; branch: string }[]>('select external_ref, branch from insurance_policies where product_id = ?', [matched.json().productId]);
    expect(policy).toEqual([{ external_ref: m.policyNumber, branch: '020' }]);
  });
});

describe('XSD validation of RISK messages (XSD_DIR_AFD)', () => {
  /** SYNTHETIC schema written for this test (not RISK's AFD definition): only insurer RISK. */
  const schema = `<?xml version="1.0" encoding="UTF-8"?>
<!-- SYNTHETIC test schema, not RISK's AFD XSD -->
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:element name="Contractdocument"><xs:complexType><xs:sequence>
    <xs:any processContents="lax" maxOccurs="unbounded"/>
  </xs:sequence></xs:complexType></xs:element>
  <xs:element name="PP"><xs:complexType><xs:sequence>
    <xs:any processContents="lax" maxOccurs="unbounded"/>
  </xs:sequence></xs:complexType></xs:element>
  <xs:element name="PP_MYAAND"><xs:simpleType><xs:restriction base="xs:string"><xs:pattern value="RISK"/></xs:restriction></xs:simpleType></xs:element>
</xs:schema>`;

  it('stores a message that fails the XSD and parks it with the validator words; it is never routed, not even by hand', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'afd-xsd-'));
    writeFileSync(path.join(dir, 'afd.xsd'), schema);
    const pool = new XmlParsePool({ threads: 1 });
    const xsdApp = buildApp({
      orm,
      temporal: { client, taskQueue, checkHealth: temporalHealthCheck(connection) },
      risk: { client: undefined, mapping },
      xml: { pool, bodyLimits: { ...defaultXmlBodyLimits }, xsd: xsdHookFromSettings({ xsdDirAfd: dir }, pool) },
    });
    await xsdApp.ready();
    const send = (body: string, contentType = 'application/xml') =>
      xsdApp.inject({ method: 'POST', url: '/risk/messages', headers: { ...bearer(riskToken), 'content-type': contentType }, payload: body });
    try {
      const failing = buildRisk(message({ insurerCode: 'ANDERS' }));
      const parked = await send(failing);
      expect(parked.statusCode, parked.body).toBe(202);
      expect(parked.json()).toMatchObject({
        state: 'parked',
        duplicate: false,
        productId: null,
        reason: expect.stringMatching(/^Fails XSD validation against afd\.xsd: line \d+: Element 'PP_MYAAND': \[facet 'pattern'\] The value 'ANDERS' is not accepted by the pattern 'RISK'/),
      });
      const stored = await orm.em.fork().execute<{ state: string; raw_xml: string }[]>('select state, raw_xml from risk_messages where id = ?', [parked.json().id]);
      expect(stored).toEqual([{ state: 'parked', raw_xml: failing }]);
      // A redelivery gets the first answer; it is not validated or parked again.
      expect((await send(failing)).json()).toMatchObject({ id: parked.json().id, state: 'parked', duplicate: true });
      // Listed under state=parked; matching by hand is refused.
      for (const url of ['/risk/inbox?state=parked', '/risk/inbox']) {
        const listed = await xsdApp.inject({ method: 'GET', url, headers: bearer(office.tokens.adviser) });
        expect((listed.json() as { id: string }[]).map((i) => i.id)).toContain(parked.json().id);
      }
      const { dossierId } = await dossierWith(uniquePerson());
      const match = await xsdApp.inject({ method: 'POST', url: `/risk/messages/${parked.json().id}/match`, headers: bearer(office.tokens.adviser), payload: { dossierId } });
      expect(match.statusCode).toBe(409);

      // Valid against the XSD: on to routing (no match: waiting). JSON is not XML: no XSD applies.
      expect((await send(buildRisk(message()))).json()).toMatchObject({ state: 'waiting' });
      expect((await send(writeRiskAfd2Json(message({ insurerCode: 'ANDERS' }), mapping), 'application/json')).json()).toMatchObject({ state: 'waiting' });
    } finally {
      await xsdApp.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('RISK polling fallback by hand', () => {
  it('503 risk-not-configured when the API has no RISK connection; no cursor is written', async () => {
    const res = await app.inject({ method: 'POST', url: '/risk/poll', headers: bearer(office.tokens.adviser) });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json()).toMatchObject({ type: expect.stringMatching(/risk-not-configured$/), detail: 'No RISK connection is configured (RISK_URL / RISK_TOKEN)' });
    const cursors = (await orm.em.fork().execute('select count(*)::int as n from risk_poll_cursors where office_id = ?', [office.officeId], 'all')) as { n: number }[];
    expect(cursors[0]!.n).toBe(0);
  });
});
