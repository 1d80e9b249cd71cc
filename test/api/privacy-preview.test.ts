/**
 * GET /persons/:id/privacy-preview: the counts an admin sees before anonymising or deleting.
 * They are the counts deletion refuses with (same linksOf), so the test also deletes and
 * anonymises to see the preview agree with what happens; office scoped (404 to another office).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import type { MikroORM } from '../../db/orm.js';
import { bearer, createTestOffice, ensureShippedProcesses, openOrm, temporalStub, uniquePerson, type TestOffice } from './support.js';

describe('GET /persons/:id/privacy-preview', () => {
  let orm: MikroORM;
  let app: FastifyInstance;
  let a: TestOffice;
  let b: TestOffice;

  beforeAll(async () => {
    orm = await openOrm();
    await ensureShippedProcesses(orm);
    a = await createTestOffice(orm, 'Privacy A');
    b = await createTestOffice(orm, 'Privacy B');
    app = buildApp({ orm, temporal: temporalStub() });
    await app.ready();
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await orm?.close(true);
  });

  const preview = (office: TestOffice, id: string) => app.inject({ method: 'GET', url: `/persons/${id}/privacy-preview`, headers: bearer(office.tokens.admin) });

  it('counts the dossiers and linked data; deletion refuses with the same counts, anonymising marks it', async () => {
    const alone = await app.inject({ method: 'POST', url: '/dossiers', headers: bearer(a.tokens.adviser), payload: { applicants: [{ person: uniquePerson() }, { person: uniquePerson() }] } });
    expect(alone.statusCode).toBe(201);
    const personId = alone.json().applicants[0].person.id as string;
    const sole = await app.inject({ method: 'POST', url: '/dossiers', headers: bearer(a.tokens.adviser), payload: { applicants: [{ personId }] } });
    expect(sole.statusCode).toBe(201);
    const product = await app.inject({
      method: 'POST',
      url: `/dossiers/${sole.json().id}/products`,
      headers: bearer(a.tokens.adviser),
      payload: { type: 'service', parts: [{ description: 'Hypotheekadvies' }] },
    });
    expect(product.statusCode).toBe(201);

    const res = await preview(a, personId);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ personId, anonymised: false, anonymisedAt: null, dossiers: { sole: 1, shared: 1 }, linked: { products: 1 }, deletable: false });

    const refused = await app.inject({ method: 'DELETE', url: `/persons/${personId}`, headers: bearer(a.tokens.admin) });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().linked).toEqual(res.json().linked);

    expect((await app.inject({ method: 'POST', url: `/persons/${personId}/anonymise`, headers: bearer(a.tokens.admin) })).statusCode).toBe(200);
    const after = (await preview(a, personId)).json();
    expect(after.anonymised).toBe(true);
    expect(typeof after.anonymisedAt).toBe('string');
  });

  it('a person with nothing linked is deletable, and deletion then succeeds', async () => {
    const created = await app.inject({ method: 'POST', url: '/persons', headers: bearer(a.tokens.adviser), payload: uniquePerson() });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    expect((await preview(a, id)).json()).toMatchObject({ dossiers: { sole: 0, shared: 0 }, linked: {}, deletable: true });
    expect((await app.inject({ method: 'DELETE', url: `/persons/${id}`, headers: bearer(a.tokens.admin) })).statusCode).toBe(200);
    expect((await preview(a, id)).statusCode).toBe(404);
  });

  it("is office scoped: another office's admin gets 404 problem+json; an adviser 403", async () => {
    const created = await app.inject({ method: 'POST', url: '/persons', headers: bearer(a.tokens.adviser), payload: uniquePerson() });
    const res = await preview(b, created.json().id);
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((await app.inject({ method: 'GET', url: `/persons/${created.json().id}/privacy-preview`, headers: bearer(a.tokens.adviser) })).statusCode).toBe(403);
  });
});
