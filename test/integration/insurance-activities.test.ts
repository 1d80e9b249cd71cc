/**
 * The insurance activities against a real PostgreSQL and a RISK peer on loopback: the refusals
 * of services/insurance arrive at the workflows as the failure types they decide on
 * (InsuranceActivityFailure; the same type strings as before the services existed), and the
 * quote request is idempotent on the product id.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInsuranceActivities } from '../../activities/insurance.activities.js';
import { InsuranceActivityFailure } from '../../activities/insurance.contract.js';
import { newId } from '../../db/ids.js';
import { createOrm } from '../../db/orm.js';
import { createRiskClient } from '../../integrations/risk/client.js';
import { insertInsurancePolicy } from '../../services/insurance/store.js';
import { defineRiskAfdMapping, defaultRiskAfdMapping, writeRiskAfd } from '../../integrations/risk/afd-mapping.js';
import { writeRiskAfd2Json } from '../../integrations/risk/afd2-json.js';
import { buildLegacyRisk } from '../../integrations/risk/legacy-codec.js';
import syntheticMapping from '../../integrations/risk/fixtures/afd-mapping.synthetic.json' with { type: 'json' };
import type { RiskMessage } from '../../integrations/risk/types.js';
import type { RiskClient } from '../../integrations/risk/client.js';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import { XsdFolderValidator } from '../../integrations/xml/index.js';
import { pollRiskOnce } from '../../services/insurance/poll.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createFixture, testDatabase, type Fixture, type TestDatabase } from './support.js';

interface RiskPeer {
  url: string;
  /** Idempotency keys of the quote requests answered 200. */
  quoted: string[];
  /** Status codes to answer next (then 200 with a quote number). */
  answers: number[];
  stop(): Promise<void>;
}

async function startRiskPeer(): Promise<RiskPeer> {
  const quoted: string[] = [];
  const answers: number[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const status = answers.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'application/json' });
      if (status !== 200) return res.end(JSON.stringify({ error: `answered ${status}` }));
      const key = String(req.headers['idempotency-key']);
      quoted.push(key);
      res.end(JSON.stringify({ quoteNumber: `RQ-${key.slice(0, 8).toUpperCase()}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/risk/`, quoted, answers, stop: () => new Promise((r) => server.close(() => r())) };
}

let db: TestDatabase;
let orm: MikroORM;
let peer: RiskPeer;
let fx: Fixture;

beforeAll(async () => {
  db = await testDatabase();
  orm = await createOrm(db.url);
  peer = await startRiskPeer();
  fx = await createFixture(orm);
}, 120_000);

afterAll(async () => {
  await peer?.stop();
  await orm?.close(true);
  await db?.stop();
});

async function failureOf(p: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApplicationFailure);
  return err as ApplicationFailure;
}

/** A policy row for the fixture's product, as a quote request here leaves it (no RISK number yet). */
async function policy(): Promise<void> {
  await orm.em.fork().transactional((tem) =>
    insertInsurancePolicy(tem, {
      productId: fx.productId,
      officeId: fx.officeId,
      dossierId: fx.dossierId,
      personId: fx.personIds[0],
      externalRef: null,
      branch: '020',
      insurerCode: null,
      startDate: '2027-01-01',
      requestedCoverages: [{ code: 'WA', description: 'Wettelijke aansprakelijkheid' }],
    }),
  );
}

describe('insurance activities', () => {
  it('refusals arrive as the failure types the insurance workflows know', async () => {
    const withoutRisk = createInsuranceActivities({ orm, client: undefined });
    const missing = await failureOf(withoutRisk.requestRiskQuote({ productId: newId() }));
    expect(missing.type).toBe(InsuranceActivityFailure.NotFound);
    expect(missing.nonRetryable).toBe(true);
    const unknownMessage = await failureOf(
      withoutRisk.applyRiskEvent({ productId: newId(), messageId: newId(), decision: { outcome: 'apply', reason: 'first' }, fromStatus: 'a', toStatus: 'b' }),
    );
    expect(unknownMessage.type).toBe(InsuranceActivityFailure.NotFound);

    await policy();
    const notConfigured = await failureOf(withoutRisk.requestRiskQuote({ productId: fx.productId }));
    expect(notConfigured.type).toBe(InsuranceActivityFailure.RiskRejected);
    expect(notConfigured.message).toBe('No RISK connection is configured (RISK_URL / RISK_TOKEN)');
    const noPoll = await failureOf(withoutRisk.pollRiskEvents({ officeIds: [fx.officeId] }));
    expect(noPoll.type).toBe(InsuranceActivityFailure.RiskRejected);

    const activities = createInsuranceActivities({ orm, client: createRiskClient({ url: peer.url, token: 'test-token' }) });
    peer.answers.push(503, 400);
    const outage = await failureOf(activities.requestRiskQuote({ productId: fx.productId }));
    expect(outage.type).toBe(InsuranceActivityFailure.RiskUnavailable);
    expect(outage.nonRetryable).toBe(false);
    const refused = await failureOf(activities.requestRiskQuote({ productId: fx.productId }));
    expect(refused.type).toBe(InsuranceActivityFailure.RiskRejected);
    expect(refused.nonRetryable).toBe(true);
    expect(peer.quoted).toEqual([]);
  });

  it('asks RISK once per product: the number it keeps is the answer to a retry', async () => {
    const activities = createInsuranceActivities({ orm, client: createRiskClient({ url: peer.url, token: 'test-token' }) });
    const first = await activities.requestRiskQuote({ productId: fx.productId });
    expect(first.quoteNumber).toMatch(/^RQ-/);
    const again = await activities.requestRiskQuote({ productId: fx.productId });
    expect(again).toEqual(first);
    expect(peer.quoted).toEqual([fx.productId]);
    // Even without a RISK connection the number it has is the answer.
    expect(await createInsuranceActivities({ orm, client: undefined }).requestRiskQuote({ productId: fx.productId })).toEqual(first);
  });

  it('applies a stored message in every form it was stored in: our old <AFD> shape, AFD 2.0 JSON, AFD 1.0 (SYNTHETIC mapping)', async () => {
    const number = (await orm.em.fork().execute<{ external_ref: string }[]>('select external_ref from insurance_policies where product_id = ?', [fx.productId]))[0]!.external_ref;
    const mapping = defineRiskAfdMapping(syntheticMapping);
    const event = (version: number, premiumCents: number, kind: RiskMessage['kind']): RiskMessage => ({
      messageId: `${number}-F${version}`,
      kind,
      version,
      eventAt: `2026-11-2${version}T10:00:00.000Z`,
      policyNumber: number,
      insurerCode: 'RISK',
      branch: 'SYN-AUTO',
      premiumCents,
      relation: { lastName: 'Jansen', birthDate: '1990-04-12' },
      coverages: [{ code: 'WA', description: 'Wettelijke aansprakelijkheid', premiumCents }],
      documents: [],
    });
    const stored = async (m: RiskMessage, raw: string): Promise<string> => {
      const id = newId();
      await orm.em.fork().execute(
        `insert into risk_messages (id, office_id, message_key, kind, policy_number, version, event_at, summary, raw_xml, source, state, product_id)
         values (?, ?, ?, ?, ?, ?, ?, 'test', ?, 'webhook', 'delivered', ?)`,
        [id, fx.officeId, m.messageId, m.kind, m.policyNumber, m.version, m.eventAt, raw, fx.productId],
      );
      return id;
    };
    const apply = (messageId: string, withMapping = mapping) =>
      createInsuranceActivities({ orm, client: undefined, mapping: withMapping }).applyRiskEvent({
        productId: fx.productId,
        messageId,
        decision: { outcome: 'apply', reason: 'test' },
        fromStatus: 'offerte-aangevraagd',
        toStatus: 'lopend',
      });
    const premium = async () => Number((await orm.em.fork().execute<{ p: string }[]>('select premium_cents as p from insurance_policies where product_id = ?', [fx.productId]))[0]!.p);

    // A row from before the move to AFD: read by the legacy reader whatever the mapping.
    const legacy = await stored(event(2, 4000, 'final'), buildLegacyRisk({ ...event(2, 4000, 'final'), branch: '020' }));
    expect(await apply(legacy, defaultRiskAfdMapping)).toMatchObject({ outcome: 'applied' });
    expect(await premium()).toBe(4000);
    const json = await stored(event(3, 4500, 'mutation'), writeRiskAfd2Json(event(3, 4500, 'mutation'), mapping));
    expect(await apply(json)).toMatchObject({ outcome: 'applied' });
    expect(await premium()).toBe(4500);
    const xml = await stored(event(4, 4700, 'mutation'), writeRiskAfd(event(4, 4700, 'mutation'), mapping));
    expect(await apply(xml)).toMatchObject({ outcome: 'applied' });
    expect(await premium()).toBe(4700);
    const history = await orm.em.fork().execute<{ version: number }[]>('select version from insurance_history where product_id = ? order by seq', [fx.productId]);
    expect(history.map((h) => h.version)).toEqual([2, 3, 4]);
  });

  it('the poller parks a polled message that fails the AFD XSD (validated in line, as on the worker), and moves its cursor past it', async () => {
    const number = (await orm.em.fork().execute<{ external_ref: string }[]>('select external_ref from insurance_policies where product_id = ?', [fx.productId]))[0]!.external_ref;
    const mapping = defineRiskAfdMapping(syntheticMapping);
    const dir = mkdtempSync(path.join(tmpdir(), 'afd-xsd-poll-'));
    // SYNTHETIC test schema (not RISK's): only insurer RISK.
    writeFileSync(
      path.join(dir, 'afd.xsd'),
      `<?xml version="1.0" encoding="UTF-8"?>
<!-- SYNTHETIC test schema, not RISK's AFD XSD -->
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:element name="Contractdocument"><xs:complexType><xs:sequence><xs:any processContents="lax" maxOccurs="unbounded"/></xs:sequence></xs:complexType></xs:element>
  <xs:element name="PP"><xs:complexType><xs:sequence><xs:any processContents="lax" maxOccurs="unbounded"/></xs:sequence></xs:complexType></xs:element>
  <xs:element name="PP_MYAAND"><xs:simpleType><xs:restriction base="xs:string"><xs:pattern value="RISK"/></xs:restriction></xs:simpleType></xs:element>
</xs:schema>`,
    );
    const m: RiskMessage = {
      messageId: `${number}-POLL9`,
      kind: 'mutation',
      version: 9,
      eventAt: '2026-11-29T10:00:00.000Z',
      policyNumber: number,
      insurerCode: 'ANDERS',
      branch: 'SYN-AUTO',
      premiumCents: 100,
      relation: { lastName: 'Jansen', birthDate: '1990-04-12' },
      coverages: [{ code: 'WA', description: 'Wettelijke aansprakelijkheid', premiumCents: 100 }],
      documents: [],
    };
    const feed: RiskClient = {
      requestQuote: () => Promise.reject(new Error('not in this test')),
      eventsSince: (cursor) => Promise.resolve(cursor === '0' ? { events: [{ cursor: '1', xml: writeRiskAfd(m, mapping) }], next: '1' } : { events: [], next: cursor }),
    };
    try {
      const xsd = new XsdFolderValidator(dir, 'RISK message', undefined, { maxTextLength: 10 * 1024 * 1024 });
      // A parked message is never routed: no process engine is needed (one that is called would throw).
      const ctx = { em: orm.em.fork(), temporal: {} as TemporalDeps, mapping, xsd };
      expect(await pollRiskOnce(ctx, feed, fx.officeId)).toEqual({ fetched: 1, stored: 1, cursor: '1' });
      const rows = await orm.em.fork().execute<{ state: string; reason: string; source: string }[]>('select state, reason, source from risk_messages where message_key = ?', [m.messageId]);
      expect(rows).toEqual([{ state: 'parked', source: 'poll', reason: expect.stringMatching(/^Fails XSD validation against afd\.xsd: line \d+: Element 'PP_MYAAND'/) }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
