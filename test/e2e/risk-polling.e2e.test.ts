/**
 * The RISK polling fallback on its schedule: a RISK that sends no webhooks at all still gets
 * its events applied, because the platform's poller workflow (`risk-poller`, run by the real
 * worker process) reads them since the office's cursor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workflowIds } from '../../domain/workflow-ids.js';
import { ensureRiskPoller } from '../../services/insurance/poller.js';
import { riskPollerStateQuery } from '../../workflows/insurance/risk-poller.messages.js';
import { startE2ePlatform, type E2ePlatform } from '../helpers/e2e-platform.js';

let platform: E2ePlatform;

beforeAll(async () => {
  platform = await startE2ePlatform({ risk: { scenario: 'mutation', stepDelayMs: 100, webhook: false } });
  // The e2e API runs in-process without server.ts, so the poller is started here as server.ts
  // does (signal-with-start on the fixed id), on this platform's task queue. Other test files
  // share this database with RISK simulators of their own: it polls our office only.
  await ensureRiskPoller(platform.temporal, { intervalSeconds: 1, officeIds: [platform.officeId] });
}, 180_000);

afterAll(async () => {
  // The poller never ends by itself: stop it, so nothing is left polling for a stopped worker.
  await platform?.temporal.client.workflow.getHandle(workflowIds.riskPoller()).terminate('e2e done').catch(() => undefined);
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

    // They came through the one poller workflow, which is still running.
    expect(await platform.describeWorkflow(workflowIds.riskPoller())).toEqual({ type: 'riskPollerWorkflow', status: 'RUNNING' });
    const state = await platform.temporal.client.workflow.getHandle(workflowIds.riskPoller()).query(riskPollerStateQuery);
    expect(state.stored).toBeGreaterThanOrEqual(2);
    expect(state.failedRounds).toBe(0);
  });
});
