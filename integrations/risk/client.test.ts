/** The RISK transport against the simulated RISK (no webhook: events only by polling). */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRiskSimulator, type RiskSimulator } from '../../simulators/risk/index.js';
import { createRiskClient, type RiskQuoteRequest } from './client.js';
import { readRisk } from './codec.js';
import { defineRiskAfdMapping } from './afd-mapping.js';
import syntheticData from './fixtures/afd-mapping.synthetic.json' with { type: 'json' };
import { RiskError, RiskErrorType } from './types.js';

let sim: RiskSimulator;
// The simulated RISK writes with the SYNTHETIC AFD definition: read with the synthetic mapping.
const mapping = defineRiskAfdMapping(syntheticData);
const token = 'risk-test-token';

beforeAll(async () => {
  sim = await startRiskSimulator({ port: 0, token, scenario: 'out-of-order', stepDelayMs: 0 });
});
afterAll(async () => {
  await sim?.stop();
});

const request = (reference: string): RiskQuoteRequest => ({
  reference,
  branch: '020',
  startDate: '2027-01-01',
  coverages: [{ code: 'WA', description: 'Aansprakelijkheid' }],
  relation: { lastName: 'Jansen', birthDate: '1990-04-12' },
});

async function rejection(p: Promise<unknown>): Promise<RiskError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof RiskError) return err;
    throw err;
  }
  throw new Error('expected a RiskError');
}

describe('RISK client', () => {
  it('requests a quote idempotently and reads the events since a cursor', async () => {
    const client = createRiskClient({ url: sim.url, token });
    const first = await client.requestQuote(request('ref-1'));
    expect(await client.requestQuote(request('ref-1'))).toEqual(first);
    await sim.waitFor((q) => q.quoteNumber === first.quoteNumber && q.sent.length === 3);
    const page = await client.eventsSince('0');
    const versions = page.events.map((e) => readRisk(e.xml, mapping, { accept: ['afd1-xml'] }).message).filter((m) => m.policyNumber === first.quoteNumber).map((m) => m.version);
    // out-of-order: v4 is sent before v3
    expect(versions).toEqual([2, 4, 3]);
    expect((await client.eventsSince(page.next)).events).toEqual([]);
  });

  it('a wrong token is Rejected (not retryable); 5xx and an unreachable RISK are Unavailable (retryable)', async () => {
    const wrong = await rejection(createRiskClient({ url: sim.url, token: 'nope' }).requestQuote(request('ref-2')));
    expect(wrong).toMatchObject({ type: RiskErrorType.Rejected, status: 401, retryable: false });

    const busy = await startRiskSimulator({ port: 0, token, scenario: '5xx', stepDelayMs: 0 });
    try {
      const client = createRiskClient({ url: busy.url, token });
      expect(await rejection(client.requestQuote(request('ref-3')))).toMatchObject({ type: RiskErrorType.Unavailable, status: 503, retryable: true });
      // The retry (same idempotency key) succeeds.
      expect((await client.requestQuote(request('ref-3'))).quoteNumber).toMatch(/^RQ-/);
    } finally {
      await busy.stop();
    }

    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((r) => closed.close(() => r()));
    const down = await rejection(createRiskClient({ url: `http://127.0.0.1:${port}`, token, timeoutMs: 2000 }).eventsSince('0'));
    expect(down).toMatchObject({ type: RiskErrorType.Unavailable, retryable: true });
  });

  it('a RISK that writes AFD 2.0 JSON: the same events, read through the same mapping', async () => {
    const json = await startRiskSimulator({ port: 0, token, scenario: 'mutation', stepDelayMs: 0, afdVersion: '2.0' });
    try {
      const client = createRiskClient({ url: json.url, token });
      const { quoteNumber } = await client.requestQuote(request('ref-json'));
      await json.waitFor((q) => q.quoteNumber === quoteNumber && q.sent.length === 2);
      const reads = (await client.eventsSince('0')).events.map((e) => readRisk(e.xml, mapping, { accept: ['afd2-json'] }));
      expect(reads.map((r) => [r.format, r.message.kind, r.message.version, r.message.premiumCents])).toEqual([
        ['afd2-json', 'final', 2, 1500],
        ['afd2-json', 'mutation', 3, 1650],
      ]);
    } finally {
      await json.stop();
    }
  });

  it('refuses a bad configuration', () => {
    expect(() => createRiskClient({ url: 'ftp://risk', token })).toThrow(TypeError);
    expect(() => createRiskClient({ url: 'http://risk', token: 'a b' })).toThrow(TypeError);
  });
});
