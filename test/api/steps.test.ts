/**
 * Taking steps through the real product workflow: a real Temporal (TEMPORAL_ADDRESS from the
 * global setup) and an in-process worker from activities/worker.ts with the real activities.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '../../db/orm.js';
import { newId } from '../../db/ids.js';
import { bearer, createTestOffice, ensureShippedProcesses, openOrm, startAppWithWorker, uniquePerson, type AppWithWorker, type TestOffice } from './support.js';

describe('steps through the real product workflow', () => {
  let orm: MikroORM;
  let app: FastifyInstance;
  let office: TestOffice;
  let platform: AppWithWorker | undefined;
  const taskQueue = `api-test-${newId().slice(0, 8)}`;

  beforeAll(async () => {
    orm = await openOrm();
    await ensureShippedProcesses(orm);
    office = await createTestOffice(orm);
    platform = await startAppWithWorker(orm, taskQueue);
    app = platform.app;
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
    await orm?.close(true);
  });

  const adviser = () => bearer(office.tokens.adviser);

  async function newProduct(): Promise<{ id: string }> {
    const dossier = await app.inject({ method: 'POST', url: '/dossiers', headers: adviser(), payload: { applicants: [{ person: uniquePerson() }] } });
    const product = await app.inject({
      method: 'POST',
      url: `/dossiers/${dossier.json().id}/products`,
      headers: adviser(),
      payload: { type: 'service', parts: [{ description: 'Hypotheekadvies' }] },
    });
    expect(product.statusCode).toBe(201);
    return product.json();
  }

  it('readiness is 200 against the real Temporal', async () => {
    expect((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);
  });

  it('a step not allowed now is a 409 with the reason, and the state is unchanged', async () => {
    const product = await newProduct();
    const res = await app.inject({
      method: 'POST',
      url: `/products/${product.id}/steps/send-portal-activation`,
      headers: adviser(),
      payload: {},
    });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json().detail).toMatch(/niet toegestaan/);
    const after = (await app.inject({ method: 'GET', url: `/products/${product.id}`, headers: adviser() })).json();
    expect(after.status).toBe('new');
    expect(after.history.filter((h: { kind: string }) => h.kind === 'step')).toEqual([]);
  });

  it('takes a step, answers the new state, and repeats it idempotently with the same Idempotency-Key', async () => {
    const product = await newProduct();
    const key = `test-${newId()}`;
    const take = () =>
      app.inject({
        method: 'POST',
        url: `/products/${product.id}/steps/choose-checklist`,
        headers: { ...adviser(), 'idempotency-key': key },
        payload: { input: { profile: 'loondienst' } },
      });
    const first = await take();
    expect(first.statusCode).toBe(200);
    expect(first.json().product).toMatchObject({ status: 'checklist-chosen', statusLabel: 'Stukkenlijst gekozen', category: 'new' });
    expect(first.json().product.availableSteps.map((s: { id: string }) => s.id)).toContain('send-portal-activation');
    const second = await take();
    expect(second.statusCode).toBe(200);
    expect(second.json().product.history).toEqual(first.json().product.history);
    const read = (await app.inject({ method: 'GET', url: `/products/${product.id}`, headers: adviser() })).json();
    expect(read.status).toBe('checklist-chosen');
    expect(read.parts[0].status).toBe('checklist-chosen');
  });

  it('a repeated product create with the same Idempotency-Key answers the first product, never a second one', async () => {
    const dossier = (await app.inject({ method: 'POST', url: '/dossiers', headers: adviser(), payload: { applicants: [{ person: uniquePerson() }] } })).json();
    const key = `create-${newId()}`;
    const create = (dossierId: string) =>
      app.inject({
        method: 'POST',
        url: `/dossiers/${dossierId}/products`,
        headers: { ...adviser(), 'idempotency-key': key },
        payload: { type: 'service', parts: [{ description: 'Hypotheekadvies' }] },
      });
    const first = await create(dossier.id);
    expect(first.statusCode).toBe(201);
    const again = await create(dossier.id);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    const read = (await app.inject({ method: 'GET', url: `/dossiers/${dossier.id}`, headers: adviser() })).json();
    expect(read.products.map((p: { id: string }) => p.id)).toEqual([first.json().id]);
    // Its process runs: a step can be taken.
    const step = await app.inject({
      method: 'POST',
      url: `/products/${first.json().id}/steps/choose-checklist`,
      headers: adviser(),
      payload: { input: { profile: 'loondienst' } },
    });
    expect(step.statusCode).toBe(200);
    // The same key for another dossier is refused, nothing is made there.
    const other = (await app.inject({ method: 'POST', url: '/dossiers', headers: adviser(), payload: { applicants: [{ person: uniquePerson() }] } })).json();
    const reused = await create(other.id);
    expect(reused.statusCode).toBe(409);
    const otherRead = (await app.inject({ method: 'GET', url: `/dossiers/${other.id}`, headers: adviser() })).json();
    expect(otherRead.products).toEqual([]);
  });

  it('a repeated text step with the same Idempotency-Key stores its text once', async () => {
    const product = await newProduct();
    for (const [stepId, input] of [
      ['choose-checklist', { profile: 'loondienst' }],
      ['send-portal-activation', {}],
    ] as const) {
      const res = await app.inject({ method: 'POST', url: `/products/${product.id}/steps/${stepId}`, headers: adviser(), payload: { input } });
      expect(res.statusCode, `${stepId}: ${res.body}`).toBe(200);
    }
    const key = `contact-${newId()}`;
    const register = () =>
      app.inject({
        method: 'POST',
        url: `/products/${product.id}/steps/register-contact`,
        headers: { ...adviser(), 'idempotency-key': key },
        payload: { input: { channel: 'telefoon', summary: 'Intake besproken met Anna' } },
      });
    const first = await register();
    expect(first.statusCode, first.body).toBe(200);
    const again = await register();
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().product.history).toEqual(first.json().product.history);
    const payloads = await orm.em.fork().execute('select step_id, data from step_payloads where product_id = ?', [product.id]);
    expect(payloads).toEqual([{ step_id: 'register-contact', data: { summary: 'Intake besproken met Anna' } }]);
  });

  it('invalid input is a 409 and leaves no step payload behind', async () => {
    const product = await newProduct();
    const bad = await app.inject({
      method: 'POST',
      url: `/products/${product.id}/steps/choose-checklist`,
      headers: adviser(),
      payload: { input: { profile: 'astronaut' } },
    });
    expect(bad.statusCode).toBe(409);
    expect(bad.json().detail).toMatch(/profile/);
    // a text input is stored first, then the workflow refuses the step: the payload is removed
    const refused = await app.inject({
      method: 'POST',
      url: `/products/${product.id}/steps/register-contact`,
      headers: adviser(),
      payload: { input: { channel: 'telefoon', summary: 'Intake besproken met Anna' } },
    });
    expect(refused.statusCode).toBe(409);
    const payloads = await orm.em.fork().execute('select count(*)::int as n from step_payloads where product_id = ?', [product.id]);
    expect(payloads[0]).toEqual({ n: 0 });
  });
});
