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
});
