/**
 * HDN activities against a real PostgreSQL and a real HTTP gateway on loopback: the AX goes
 * out once (idempotent on its HDN key, also across a retry after an outage), a refusal is
 * final, and a DA becomes the product's lender checklist.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHdnActivities } from '../../activities/hdn.activities.js';
import { xsdHookFromSettings } from '../../integrations/xml/index.js';
import { HdnActivityFailure } from '../../activities/hdn.contract.js';
import { lockProduct } from '../../services/products/history.js';
import { newId } from '../../db/ids.js';
import { createOrm } from '../../db/orm.js';
import { buildHdn, parseHdn } from '../../integrations/hdn/codec.js';
import { readHdnMessage } from '../../integrations/hdn/read.js';
import { createHdnGateway } from '../../integrations/hdn/gateway.js';
import { createHash } from 'node:crypto';
import type { HdnApplication, HdnDocumentDelivery, HdnDocumentRequest } from '../../integrations/hdn/types.js';
import { createFixture, testDatabase, type Fixture, type TestDatabase } from './support.js';

const OUR_NODE = 'DFL001';
const fixture = (name: string) => readFileSync(new URL(`../../integrations/hdn/fixtures/${name}`, import.meta.url), 'utf8');

interface Gateway {
  url: string;
  received: { body: string; idempotencyKey: string | undefined }[];
  /** Status codes to answer next (then 200). */
  answers: number[];
  stop(): Promise<void>;
}

async function startGateway(): Promise<Gateway> {
  const received: Gateway['received'] = [];
  const answers: number[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = answers.shift() ?? 202;
      if (status < 300) received.push({ body: Buffer.concat(chunks).toString('utf8'), idempotencyKey: req.headers['idempotency-key'] as string | undefined });
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status < 300 ? 'accepted' : 'receiver node unknown');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hdn`, received, answers, stop: () => new Promise((r) => server.close(() => r())) };
}

let db: TestDatabase;
let orm: MikroORM;
let gateway: Gateway;
const lenderCode = `T${newId().slice(0, 8)}`;

beforeAll(async () => {
  db = await testDatabase();
  orm = await createOrm(db.url);
  gateway = await startGateway();
  await orm.em.fork().execute(`insert into hdn_lenders (code, name, node_number) values (?, 'Testbank N.V.', 'LND777')`, [lenderCode]);
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await orm?.close(true);
  await db?.stop();
});

/** A product with an HDN application whose AX (from the fixture) is stored as converted. */
async function productWithApplication(change: (ax: HdnApplication) => HdnApplication = (ax) => ax): Promise<Fixture & { applicationNumber: string; axId: string }> {
  const f = await createFixture(orm);
  const applicationNumber = String(Math.floor(Math.random() * 1e9)).padStart(9, '0');
  // The adviser's AX as stored before issue 17: the legacy <HDN> shape (words as repayment types, cents).
  const ax = change(parseHdn(fixture('ax.xml')) as HdnApplication);
  const source: HdnApplication = { ...ax, header: { ...ax.header, receiverNode: OUR_NODE, receiverCode: lenderCode, applicationNumber } };
  const axId = newId();
  const em = orm.em.fork();
  await em.execute(
    `insert into hdn_messages (id, office_id, direction, type, message_key, sender_node, receiver_node, application_number,
       application_version, summary, raw_xml, state, product_id)
     values (?, ?, 'in', 'AX', ?, ?, ?, ?, 1, 'AX', ?, 'converted', ?)`,
    [axId, f.officeId, `test-${axId}`, source.header.senderNode, OUR_NODE, applicationNumber, buildHdn(source), f.productId],
  );
  await em.execute(
    `insert into hdn_applications (product_id, office_id, application_number, application_version, lender_code, source_message_id)
     values (?, ?, ?, 1, ?, ?)`,
    [f.productId, f.officeId, applicationNumber, lenderCode, axId],
  );
  return { ...f, applicationNumber, axId };
}

function activities() {
  return createHdnActivities({ orm, node: OUR_NODE, gateway: createHdnGateway({ url: gateway.url, token: 'gateway-token' }) });
}

async function failureOf(p: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ApplicationFailure);
    return err as ApplicationFailure;
  }
  throw new Error('expected a failure');
}

describe('sendHdnApplication', () => {
  it('sends the AX to the lender once, addressed from our node, idempotent on its HDN key', async () => {
    const p = await productWithApplication();
    const acts = activities();
    const before = gateway.received.length;
    const first = await acts.sendHdnApplication({ key: 'k1', productId: p.productId });
    const again = await acts.sendHdnApplication({ key: 'k1', productId: p.productId });
    expect(first).toMatchObject({ applicationNumber: p.applicationNumber, applicationVersion: 1, lenderCode, sentNow: true });
    expect(again).toMatchObject({ messageId: first.messageId, sentNow: false });
    expect(gateway.received.length - before).toBe(1);

    // Sent in the public shape (header inside <AX>, decimal euros, repayment codes), whatever shape the adviser's AX had.
    const body = gateway.received.at(-1)!.body;
    expect(body).toMatch(/^<\?xml[^>]*\?>\s*<AX>\s*<Header>\s*<VerzenderNrHDN>/);
    expect(body).toContain('<LeningDeelBedrag>300000.00</LeningDeelBedrag>');
    expect(body).not.toContain('<HDN>');
    const sent = readHdnMessage(body) as HdnApplication;
    expect(sent.header).toMatchObject({ senderNode: OUR_NODE, receiverNode: 'LND777', receiverName: 'Testbank N.V.', packageName: 'dossierflow', messageVersion: '24.0', applicationNumber: p.applicationNumber, applicationVersion: '1' });
    expect(sent.applicants.map((a) => a.lastName)).toEqual(['Vries', 'El Amrani & Bakker']);
    expect(sent.loanParts.map((l) => [l.repaymentType, l.amountCents])).toEqual([['01', 30_000_000], ['05', 9_000_000]]);
    expect(gateway.received.at(-1)!.idempotencyKey).toMatch(/^hdn-out\|AX\|LND777\|DFL001\|/);

    const [row] = await orm.em.fork().execute<{ state: string; direction: string }[]>(
      `select state, direction from hdn_messages where id = ?`,
      [first.messageId],
    );
    expect(row).toEqual({ state: 'sent', direction: 'out' });
  });

  it('keeps the AX pending through a gateway outage and sends the same XML on retry', async () => {
    const p = await productWithApplication();
    const acts = activities();
    gateway.answers.push(503);
    const outage = await failureOf(acts.sendHdnApplication({ key: 'k2', productId: p.productId }));
    expect(outage.type).toBe(HdnActivityFailure.Unavailable);
    expect(outage.nonRetryable).toBe(false);
    const [pending] = await orm.em.fork().execute<{ state: string; raw_xml: string }[]>(
      `select state, raw_xml from hdn_messages where product_id = ? and direction = 'out'`,
      [p.productId],
    );
    expect(pending?.state).toBe('pending');
    const retried = await acts.sendHdnApplication({ key: 'k2', productId: p.productId });
    expect(retried.sentNow).toBe(true);
    expect(gateway.received.at(-1)!.body).toBe(pending!.raw_xml);
  });

  it('fails for good when the gateway refuses the message', async () => {
    const p = await productWithApplication();
    gateway.answers.push(400);
    const refused = await failureOf(activities().sendHdnApplication({ key: 'k3', productId: p.productId }));
    expect(refused.type).toBe(HdnActivityFailure.Rejected);
    expect(refused.nonRetryable).toBe(true);
    const [row] = await orm.em.fork().execute<{ state: string; reason: string }[]>(
      `select state, reason from hdn_messages where product_id = ? and direction = 'out'`,
      [p.productId],
    );
    expect(row?.state).toBe('failed');
    expect(row?.reason).toMatch(/receiver node unknown/);
  });

  it('does not send a message that fails the office XSD: stored failed with the validator words', async () => {
    // SYNTHETIC schema written for this test (not HDN's): the AX's Header may not hold a VerzenderNaam.
    const dir = mkdtempSync(path.join(tmpdir(), 'hdn-xsd-out-'));
    writeFileSync(
      path.join(dir, 'hdn.xsd'),
      `<!-- SYNTHETIC test schema, not an HDN member XSD -->
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="AX"><xs:complexType><xs:sequence>
  <xs:element name="Header"><xs:complexType><xs:sequence><xs:element name="VerzenderNrHDN" type="xs:string"/><xs:element name="OntvangerNrHDN" type="xs:string"/><xs:any processContents="skip" minOccurs="0" maxOccurs="unbounded"/></xs:sequence></xs:complexType></xs:element>
  <xs:any processContents="skip" maxOccurs="unbounded"/>
</xs:sequence></xs:complexType></xs:element></xs:schema>`,
    );
    try {
      const checked = (xsdDir: string) => createHdnActivities({ orm, node: OUR_NODE, gateway: createHdnGateway({ url: gateway.url, token: 'gateway-token' }), xsd: xsdHookFromSettings({ xsdDirHdn: xsdDir }).hdn! });
      const before = gateway.received.length;
      const ok = await productWithApplication();
      await checked(dir).sendHdnApplication({ key: 'x1', productId: ok.productId });
      expect(gateway.received.length - before).toBe(1);

      // The same schema with the header's first two elements swapped: our AX fails it.
      const strict = mkdtempSync(path.join(tmpdir(), 'hdn-xsd-out-'));
      writeFileSync(path.join(strict, 'hdn.xsd'), readFileSync(path.join(dir, 'hdn.xsd'), 'utf8').replace('"VerzenderNrHDN"', '"TMP"').replace('"OntvangerNrHDN"', '"VerzenderNrHDN"').replace('"TMP"', '"OntvangerNrHDN"'));
      const p = await productWithApplication();
      const refused = await failureOf(checked(strict).sendHdnApplication({ key: 'x2', productId: p.productId }));
      rmSync(strict, { recursive: true, force: true });
      expect(refused.type).toBe(HdnActivityFailure.Rejected);
      expect(refused.nonRetryable).toBe(true);
      expect(gateway.received.length - before).toBe(1);
      const [row] = await orm.em.fork().execute<{ state: string; reason: string }[]>(`select state, reason from hdn_messages where product_id = ? and direction = 'out'`, [p.productId]);
      expect(row?.state).toBe('failed');
      expect(row?.reason).toMatch(/^Fails XSD validation against hdn\.xsd: line \d+: Element 'VerzenderNrHDN': This element is not expected\. Expected is \( OntvangerNrHDN \)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('does not send (or store) an AX whose legacy repayment word has no HDN code', async () => {
    const p = await productWithApplication((ax) => ({ ...ax, loanParts: ax.loanParts.map((l, i) => (i === 1 ? { ...l, repaymentType: 'spaarhypotheek' } : l)) }));
    const before = gateway.received.length;
    const refused = await failureOf(activities().sendHdnApplication({ key: 'k5', productId: p.productId }));
    expect(refused.type).toBe(HdnActivityFailure.Rejected);
    expect(refused.nonRetryable).toBe(true);
    expect(refused.message).toMatch(/AX\/Lening\/LeningDeel\[2\]\/AflossingsVorm "spaarhypotheek" is not a code of HDN 24\.0/);
    expect(gateway.received.length - before).toBe(0);
    const stored = await orm.em.fork().execute(`select id from hdn_messages where product_id = ? and direction = 'out'`, [p.productId]);
    expect(stored).toEqual([]);
  });

  it('refuses a product without an application', async () => {
    const f = await createFixture(orm);
    const failure = await failureOf(activities().sendHdnApplication({ key: 'k4', productId: f.productId }));
    expect(failure.type).toBe(HdnActivityFailure.NoApplication);
    expect(failure.nonRetryable).toBe(true);
  });
});

describe('applyDocumentRequest and markHdnMessage', () => {
  it('upserts the DA lines as the lender checklist and records outcomes', async () => {
    const p = await productWithApplication();
    const da = parseHdn(fixture('da.xml')) as HdnDocumentRequest;
    const em = orm.em.fork();
    const store = async (message: HdnDocumentRequest): Promise<string> => {
      const id = newId();
      await em.execute(
        `insert into hdn_messages (id, office_id, direction, type, message_key, sender_node, receiver_node, application_number,
           application_version, summary, raw_xml, state, product_id)
         values (?, ?, 'in', 'DA', ?, 'LND777', ?, ?, 1, 'DA', ?, 'delivered', ?)`,
        [id, p.officeId, `test-${id}`, OUR_NODE, p.applicationNumber, buildHdn(message), p.productId],
      );
      return id;
    };
    const acts = activities();
    const first = await store(da);
    expect(await acts.applyDocumentRequest({ messageId: first, productId: p.productId })).toEqual({ lines: da.lines.length });

    // A later DA approves the first line: same line, new status, no second row.
    const approved: HdnDocumentRequest = { ...da, lines: [{ ...da.lines[0]!, status: '04' }] };
    const second = await store(approved);
    expect(await acts.applyDocumentRequest({ messageId: second, productId: p.productId })).toEqual({ lines: da.lines.length });
    const lines = await em.execute<{ line_id: string; status: string; fetched_by_lender: boolean }[]>(
      `select line_id, status, fetched_by_lender from hdn_document_lines where product_id = ? order by line_id`,
      [p.productId],
    );
    expect(lines.find((l) => l.line_id === da.lines[0]!.lineId)?.status).toBe('04');
    expect(lines.some((l) => l.fetched_by_lender)).toBe(da.lines.some((l) => l.fetchedByLender));

    await acts.markHdnMessage({ messageId: second, productId: p.productId, outcome: 'applied', reason: 'checklist updated' });
    const [row] = await em.execute<{ state: string; reason: string }[]>(`select state, reason from hdn_messages where id = ?`, [second]);
    expect(row).toEqual({ state: 'applied', reason: 'checklist updated' });
  });

  it('takes a DA in the public structure (Document lines, SoortDocument codes, OpgevraagdViaBronJN) and a legacy one for the same product', async () => {
    const p = await productWithApplication();
    const em = orm.em.fork();
    const store = async (xml: string): Promise<string> => {
      const id = newId();
      await em.execute(
        `insert into hdn_messages (id, office_id, direction, type, message_key, sender_node, receiver_node, application_number,
           application_version, summary, raw_xml, state, product_id)
         values (?, ?, 'in', 'DA', ?, 'LND777', ?, ?, 1, 'DA', ?, 'delivered', ?)`,
        [id, p.officeId, `test-${id}`, OUR_NODE, p.applicationNumber, xml, p.productId],
      );
      return id;
    };
    // SYNTHETIC fixture of the mapping slice (3 lines: DOC-1 003 approved, DOC-2 009 fetched by the lender, M-503 unknown kind 777).
    const publicDa = readFileSync(new URL('../../integrations/hdn/mapping/test-fixtures/da-24.xml', import.meta.url), 'utf8');
    const acts = activities();
    expect(await acts.applyDocumentRequest({ messageId: await store(publicDa), productId: p.productId })).toEqual({ lines: 3 });
    const lines = await em.execute<{ line_id: string; document_kind: string; status: string; fetched_by_lender: boolean }[]>(
      `select line_id, document_kind, status, fetched_by_lender from hdn_document_lines where product_id = ? order by line_id`,
      [p.productId],
    );
    expect(lines).toEqual([
      { line_id: 'DOC-1', document_kind: '003', status: '04', fetched_by_lender: false },
      { line_id: 'DOC-2', document_kind: '009', status: '07', fetched_by_lender: true },
      { line_id: 'M-503', document_kind: '777', status: '06', fetched_by_lender: false },
    ]);
    // A legacy <HDN> DA stored for the same product is read by the legacy reader: its lines join the checklist.
    const legacy = buildHdn(parseHdn(fixture('da.xml')));
    expect(legacy).toMatch(/<HDN>/);
    const legacyLines = (parseHdn(legacy) as HdnDocumentRequest).lines.length;
    expect(await acts.applyDocumentRequest({ messageId: await store(legacy), productId: p.productId })).toEqual({ lines: 3 + legacyLines });
  });
});

describe('recordLenderMessages', () => {
  it('records a batch in one transaction: history once per key, status of the newest entry, every outcome; a retry changes nothing', async () => {
    const p = await productWithApplication();
    const em = orm.em.fork();
    const stored: string[] = [];
    for (const code of ['09', '10', '09']) {
      const id = newId();
      await em.execute(
        `insert into hdn_messages (id, office_id, direction, type, message_key, sender_node, receiver_node, application_number,
           application_version, summary, raw_xml, state, status_code, product_id)
         values (?, ?, 'in', 'SX', ?, 'LND777', ?, ?, 1, 'SX', '<x/>', 'delivered', ?, ?)`,
        [id, p.officeId, `test-${id}`, OUR_NODE, p.applicationNumber, code, p.productId],
      );
      stored.push(id);
    }
    const at = new Date().toISOString();
    const transition = (seq: number, fromStatus: string, toStatus: string) => ({
      key: `product:${p.productId}/t:${seq}`,
      productId: p.productId,
      seq,
      at,
      actor: 'lender',
      kind: 'lender' as const,
      label: `SX entry ${seq}`,
      fromStatus,
      toStatus,
      toCategory: 'running' as const,
    });
    const input = {
      productId: p.productId,
      records: [
        { transition: transition(2, 'new', 'ontvangst-bevestigd'), messageId: stored[0]!, outcome: 'applied' as const, reason: 'SX 09' },
        { transition: transition(3, 'ontvangst-bevestigd', 'in-behandeling'), messageId: stored[1]!, outcome: 'applied' as const, reason: 'SX 10' },
        { transition: transition(4, 'in-behandeling', 'in-behandeling'), messageId: stored[2]!, outcome: 'recorded' as const, reason: 'SX 09 after 10: not moved back' },
      ],
    };
    const acts = activities();
    await acts.recordLenderMessages(input);
    await acts.recordLenderMessages(input); // a retried activity

    const history = await em.execute<{ seq: number; to_status: string }[]>(
      `select seq, to_status from product_history where product_id = ? and kind = 'lender' order by seq`,
      [p.productId],
    );
    expect(history.map((h) => [Number(h.seq), h.to_status])).toEqual([[2, 'ontvangst-bevestigd'], [3, 'in-behandeling'], [4, 'in-behandeling']]);
    const [product] = await em.execute<{ status: string; category: string }[]>(`select status, category from products where id = ?`, [p.productId]);
    expect(product).toEqual({ status: 'in-behandeling', category: 'running' });
    const marks = await em.execute<{ id: string; state: string; reason: string; product_id: string }[]>(
      `select id, state, reason, product_id from hdn_messages where id in (?, ?, ?)`,
      stored,
    );
    expect(stored.map((id) => marks.find((m) => m.id === id)?.state)).toEqual(['applied', 'applied', 'recorded']);
    expect(marks.find((m) => m.id === stored[2])?.reason).toBe('SX 09 after 10: not moved back');
    expect(marks.every((m) => m.product_id === p.productId)).toBe(true);
  });
});

describe('recording lender messages beside the API', () => {
  it("lets the API point a message at the product while a history transaction holds the product's lock", async () => {
    const p = await productWithApplication();
    const em = orm.em.fork();
    const id = newId();
    await em.execute(
      `insert into hdn_messages (id, office_id, direction, type, message_key, sender_node, receiver_node, application_number,
         application_version, summary, raw_xml, state)
       values (?, ?, 'in', 'SX', ?, 'LND777', ?, ?, 1, 'SX', '<x/>', 'received')`,
      [id, p.officeId, `test-${id}`, OUR_NODE, p.applicationNumber],
    );
    await orm.em.fork().transactional(async (tem) => {
      await lockProduct(tem, p.productId);
      // The API's move (moveMessage) on another connection: its foreign-key check on the product
      // must not wait for this transaction (it would deadlock once this one touches the message).
      await orm.em.fork().transactional(async (api) => {
        await api.execute(`set local lock_timeout = '2s'`);
        await api.execute(`update hdn_messages set state = 'delivered', product_id = ? where id = ?`, [p.productId, id]);
      });
    });
    const [row] = await em.execute<{ state: string; product_id: string }[]>(`select state, product_id from hdn_messages where id = ?`, [id]);
    expect(row).toEqual({ state: 'delivered', product_id: p.productId });
  });
});

describe('sendHdnDocument', () => {
  it('sends a DX for an open line once per attempt, never for fetched or approved lines', async () => {
    const p = await productWithApplication();
    const em = orm.em.fork();
    const daId = newId();
    await em.execute(
      `insert into hdn_messages (id, office_id, direction, type, message_key, sender_node, receiver_node, application_number,
         application_version, summary, raw_xml, state, product_id)
       values (?, ?, 'in', 'DA', ?, 'LND777', ?, ?, 1, 'DA', '<HDN/>', 'applied', ?)`,
      [daId, p.officeId, `test-${daId}`, OUR_NODE, p.applicationNumber, p.productId],
    );
    for (const [lineId, status, fetched] of [['R1', '01', false], ['R2', '01', true], ['R3', '04', false]] as const) {
      await em.execute(
        `insert into hdn_document_lines (id, product_id, line_id, document_kind, status, fetched_by_lender, message_id)
         values (?, ?, ?, 'salarisstrook', ?, ?, ?)`,
        [newId(), p.productId, lineId, status, fetched, daId],
      );
    }
    const content = Buffer.from('%PDF-1.4\n% payslip\n%%EOF\n');
    const documentId = newId();
    await em.execute(
      `insert into documents (id, key, office_id, dossier_id, product_id, document_type, filename, content_type, size_bytes, sha256, content)
       values (?, ?, ?, ?, ?, 'hdn-salarisstrook', 'salarisstrook.pdf', 'application/pdf', ?, ?, ?)`,
      [documentId, `upload:${documentId}`, p.officeId, p.dossierId, p.productId, content.length, createHash('sha256').update(content).digest('hex'), content],
    );
    const acts = activities();
    await acts.sendHdnApplication({ key: 'ax', productId: p.productId });

    const before = gateway.received.length;
    const first = await acts.sendHdnDocument({ productId: p.productId, documentId, lineId: 'R1', attempt: 1 });
    const again = await acts.sendHdnDocument({ productId: p.productId, documentId, lineId: 'R1', attempt: 1 });
    expect(first).toMatchObject({ documentKind: 'salarisstrook', sentNow: true });
    expect(again).toMatchObject({ messageId: first.messageId, sentNow: false });
    expect(gateway.received.length - before).toBe(1);
    expect(gateway.received.at(-1)!.body).toMatch(/<DX>[\s\S]*<DocumentKenmerk>R1<\/DocumentKenmerk>[\s\S]*<EncodedData>/);
    const dx = readHdnMessage(gateway.received.at(-1)!.body) as HdnDocumentDelivery;
    expect(dx).toMatchObject({ type: 'DX', lineId: 'R1', documentKind: 'salarisstrook', header: { senderNode: OUR_NODE, receiverNode: 'LND777' } });
    expect(Buffer.from(dx.attachment.contentBase64, 'base64').equals(content)).toBe(true);

    const fetched = await failureOf(acts.sendHdnDocument({ productId: p.productId, documentId, lineId: 'R2', attempt: 1 }));
    expect(fetched.message).toMatch(/fetched by the lender/);
    const approved = await failureOf(acts.sendHdnDocument({ productId: p.productId, documentId, lineId: 'R3', attempt: 1 }));
    expect(approved.message).toMatch(/already approved/);
    expect(gateway.received.length - before).toBe(1);
  });
});
