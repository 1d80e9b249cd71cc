/**
 * The RISK polling fallback on its schedule: a RISK that sends no webhooks at all still gets
 * its events applied, because the API's poller reads them since the office's cursor.
 */
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRiskPoller, type RiskPoller } from '../../services/insurance/poller.js';
import { temporalHealthCheck } from '../../integrations/temporal/health.js';
import { createOrm, type MikroORM } from '../../db/orm.js';
import { riskClientFromEnv } from '../../integrations/risk/env.js';
import { startE2ePlatform, type E2ePlatform } from '../helpers/e2e-platform.js';

let platform: E2ePlatform;
let orm: MikroORM;
let connection: Connection;
let poller: RiskPoller;

beforeAll(async () => {
  platform = await startE2ePlatform({ risk: { scenario: 'mutation', stepDelayMs: 100, webhook: false } });
  orm = await createOrm(process.env.DATABASE_URL!);
  connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const client = riskClientFromEnv(process.env);
  if (!client) throw new Error('the e2e platform sets RISK_URL/RISK_TOKEN');
  // The e2e API runs in-process without server.ts, so the poller is started here as server.ts does.
  poller = startRiskPoller({
    orm,
    temporal: { client: new Client({ connection }), taskQueue: platform.taskQueue, checkHealth: temporalHealthCheck(connection) },
    client,
    intervalMs: 500,
    log: () => undefined,
    // Other test files share this database with RISK simulators of their own: poll ours only.
    officeIds: [platform.officeId],
  });
}, 180_000);

afterAll(async () => {
  poller?.stop();
  await connection?.close();
  await orm?.close(true);
  await platform?.stop();
});

describe('RISK without webhooks', () => {
  it('applies the final quote and its mutation through the scheduled poll', async () => {
    const dossier = await platform.api.post('/dossiers', {
      applicants: [{ person: { firstName: 'Pol', lastName: `Ling-${Date.now()}`, birthDate: '1979-03-03', email: `pol.${Date.now()}@example.nl` } }],
    });
    const quote = await platform.api.post(`/dossiers/${dossier.body.id}/insurance-quotes`, {
      branch: '020',
      startDate: '2027-01-01',
      coverages: [{ code: 'WA', description: 'Wettelijke aansprakelijkheid' }],
    });
    expect(quote.status, JSON.stringify(quote.body)).toBe(201);
    const deadline = Date.now() + 30_000;
    let history: unknown[] = [];
    while (Date.now() < deadline) {
      history = ((await platform.api.get(`/products/${quote.body.productId}/insurance`)).body.history ?? []) as unknown[];
      if (history.length >= 2) break;
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(history.map((h) => (h as { kind: string }).kind)).toEqual(['final', 'mutation']);
  });
});
