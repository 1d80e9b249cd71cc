/**
 * API routes against a real PostgreSQL with `app.inject()`. Temporal is a stub here (only
 * health and workflow-start outcomes are simulated); steps run against a real Temporal in
 * steps.test.ts.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import type { MikroORM } from '../../db/orm.js';
import { bearer, createTestOffice, ensureShippedProcesses, openOrm, temporalStub, uniquePerson, type TestOffice } from './support.js';
import { revokeCredentialsNamed } from '../../services/access/store.js';

let orm: MikroORM;
let app: FastifyInstance;
let office: TestOffice;
let otherOffice: TestOffice;
const temporal = temporalStub();

beforeAll(async () => {
  orm = await openOrm();
  await ensureShippedProcesses(orm);
  office = await createTestOffice(orm);
  otherOffice = await createTestOffice(orm, 'Ander kantoor');
  app = buildApp({ orm, temporal });
  // A route that fails like a bug would, to prove 5xx details stay hidden.
  app.get('/test/boom', { config: { public: true } }, async () => {
    throw new Error('connection to db.internal:5432 failed for user secret_user');
  });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await orm?.close(true);
});

const adviser = () => bearer(office.tokens.adviser);

function expectProblem(res: { headers: Record<string, unknown>; json(): unknown; statusCode: number }, status: number) {
  expect(res.statusCode).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  const body = res.json() as Record<string, unknown>;
  expect(body).toMatchObject({ status, title: expect.any(String), type: expect.any(String), detail: expect.any(String), instance: expect.any(String) });
  return body;
}

describe('authentication and roles', () => {
  it('401 with WWW-Authenticate when the token is missing', async () => {
    const res = await app.inject({ method: 'GET', url: '/persons' });
    const body = expectProblem(res, 401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(body.detail).toMatch(/Authorization/);
  });

  it('401 for an unknown token and for a revoked one', async () => {
    const res = await app.inject({ method: 'GET', url: '/persons', headers: bearer('dfl_adviser_not-a-real-token') });
    expectProblem(res, 401);
    expect(res.headers['www-authenticate']).toMatch(/invalid_token/);

    const revoked = await createTestOffice(orm, 'Ingetrokken');
    await orm.em.fork().execute('update api_credentials set revoked_at = now() where id = ?', [revoked.credentialIds.adviser]);
    expectProblem(await app.inject({ method: 'GET', url: '/persons', headers: bearer(revoked.tokens.adviser) }), 401);
  });

  it('403 naming the needed role for a lender on /persons', async () => {
    const res = await app.inject({ method: 'GET', url: '/persons', headers: bearer(office.tokens.lender) });
    const body = expectProblem(res, 403);
    expect(body.detail).toMatch(/lender/);
    expect(body.detail).toMatch(/adviser/);
  });

  it('an admin may do what an adviser may', async () => {
    const res = await app.inject({ method: 'GET', url: '/persons', headers: bearer(office.tokens.admin) });
    expect(res.statusCode).toBe(200);
  });
});

describe('the remembered credential look-up (auth plugin, PRINCIPAL_CACHE_TTL_MS)', () => {
  it('remembers a bearer credential: the second request makes one SQL statement less', async () => {
    const own = await createTestOffice(orm, 'Onthouden');
    let statements = 0;
    const count = (): void => {
      statements++;
    };
    const knex = orm.em.getConnection().getKnex();
    knex.on('query', count);
    const perRequest: number[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        const before = statements;
        expect((await app.inject({ method: 'GET', url: '/persons?limit=1', headers: bearer(own.tokens.adviser) })).statusCode).toBe(200);
        perRequest.push(statements - before);
      }
    } finally {
      knex.off('query', count);
    }
    expect(perRequest[1]).toBe(perRequest[0]! - 1);
  });

  it('a credential revoked through the access service stops at once, though it was just used', async () => {
    const own = await createTestOffice(orm, 'Intrekken');
    expect((await app.inject({ method: 'GET', url: '/persons?limit=1', headers: bearer(own.tokens.adviser) })).statusCode).toBe(200);
    expect(await revokeCredentialsNamed(orm.em.fork(), own.officeId, 'test adviser')).toBe(1);
    expectProblem(await app.inject({ method: 'GET', url: '/persons?limit=1', headers: bearer(own.tokens.adviser) }), 401);
    // The office's other credentials were forgotten too, and work again after a new look-up.
    expect((await app.inject({ method: 'GET', url: '/persons?limit=1', headers: bearer(own.tokens.admin) })).statusCode).toBe(200);
  });

  it('a credential revoked by another process (plain SQL here) stops at its commit, heard through LISTEN', async () => {
    // A time to live far beyond the test: only the NOTIFY of the trigger on api_credentials can end it.
    const replica = buildApp({ orm, temporal, principalCacheTtlMs: 10 * 60_000 });
    await replica.ready();
    try {
      const own = await createTestOffice(orm, 'Elders ingetrokken');
      const persons = () => replica.inject({ method: 'GET', url: '/persons?limit=1', headers: bearer(own.tokens.adviser) });
      expect((await persons()).statusCode).toBe(200);
      await orm.em.fork().execute('update api_credentials set revoked_at = now() where id = ?', [own.credentialIds.adviser]);
      let status = 200;
      for (let i = 0; i < 400 && status === 200; i++) {
        status = (await persons()).statusCode;
        if (status === 200) await new Promise((r) => setTimeout(r, 25));
      }
      expect(status).toBe(401);
    } finally {
      await replica.close();
    }
  });
});

describe('problem details', () => {
  it('400 "Request body is not valid JSON" for malformed JSON', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/persons',
      headers: { ...adviser(), 'content-type': 'application/json' },
      payload: '{"firstName": "Anna", ',
    });
    const body = expectProblem(res, 400);
    expect(body.detail).toBe('Request body is not valid JSON');
  });

  it('400 lists every field path and message on a schema violation', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/persons',
      headers: adviser(),
      payload: {
        firstName: 'x'.repeat(101),
        birthDate: '2023-02-30',
        email: 'not-an-email',
        address: { street: 'Dorpsstraat', houseNumber: 1, postcode: '0123 AB', city: 'Utrecht' },
        shoeSize: 44,
      },
    });
    const body = expectProblem(res, 400);
    const paths = (body.errors as { path: string; message: string }[]).map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/body/firstName',
        '/body/lastName',
        '/body/birthDate',
        '/body/email',
        '/body/address/postcode',
        '/body/shoeSize',
      ]),
    );
    expect(body.detail).toMatch(/\/body\/lastName is required/);
    expect(body.detail).toMatch(/\/body\/shoeSize is not an allowed property/);
  });

  it('404 problem for an unknown route', async () => {
    const body = expectProblem(await app.inject({ method: 'GET', url: '/nowhere', headers: adviser() }), 404);
    expect(body.detail).toMatch(/GET \/nowhere/);
  });

  it('5xx answers hide the detail behind a reference', async () => {
    const res = await app.inject({ method: 'GET', url: '/test/boom' });
    const body = expectProblem(res, 500);
    expect(body.detail).toMatch(/^An internal error occurred; reference [0-9a-f-]{36}$/);
    expect(JSON.stringify(body)).not.toMatch(/secret_user|db\.internal/);
    expect(body.detail).toContain(String(res.headers['x-request-id']));
  });
});

describe('health', () => {
  it('live answers without credentials', async () => {
    const res = await app.inject({ method: 'GET', url: '/health/live' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'live' });
  });

  it('ready is 200 when PostgreSQL and Temporal answer', async () => {
    const res = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ready', checks: { postgres: { status: 'up' }, temporal: { status: 'up' } } });
  });

  it('ready is a 503 problem naming Temporal when it does not answer', async () => {
    const down = buildApp({ orm, temporal: temporalStub({ unhealthy: true }) });
    try {
      const res = await down.inject({ method: 'GET', url: '/health/ready' });
      const body = expectProblem(res, 503);
      expect(body.detail).toMatch(/Temporal/);
      expect(body.detail).not.toMatch(/PostgreSQL/);
      expect(body.checks).toMatchObject({ postgres: { status: 'up' }, temporal: { status: 'down' } });
    } finally {
      await down.close();
    }
  });
});

describe('persons', () => {
  it('creates a person with a normalised postcode and reads it back', async () => {
    const input = uniquePerson({ infix: 'van der' });
    const res = await app.inject({ method: 'POST', url: '/persons', headers: adviser(), payload: input });
    expect(res.statusCode).toBe(201);
    const person = res.json();
    // Sent as "1234 ab" (digits, a space, lower-case letters): stored as "1234AB".
    expect(input.address.postcode).toMatch(/^[1-9][0-9]{3} [a-z]{2}$/);
    expect(person.address.postcode).toBe(input.address.postcode.replace(' ', '').toUpperCase());
    expect(person.name).toBe(`Anna van der ${input.lastName}`);
    expect(person.birthDate).toBe('1990-04-12');
    const again = await app.inject({ method: 'GET', url: `/persons/${person.id}`, headers: adviser() });
    expect(again.json()).toEqual(person);
  });

  it('409 with possible duplicates (birth date + name, e-mail, address) and nothing created', async () => {
    const first = uniquePerson();
    const created = (await app.inject({ method: 'POST', url: '/persons', headers: adviser(), payload: first })).json();

    const twin = {
      ...first,
      firstName: 'Anne',
      lastName: first.lastName.toUpperCase(),
      email: first.email.toUpperCase(),
      address: { ...first.address, postcode: first.address.postcode.replace(' ', '').toUpperCase() },
    };
    const res = await app.inject({ method: 'POST', url: '/persons', headers: adviser(), payload: twin });
    const body = expectProblem(res, 409);
    expect(body.possibleDuplicates).toEqual([
      expect.objectContaining({ id: created.id, reasons: ['birthDate+name', 'email', 'address'] }),
    ]);
    const search = await app.inject({ method: 'GET', url: `/persons?q=${encodeURIComponent(first.lastName)}`, headers: adviser() });
    expect(search.json().total).toBe(1);

    // the same suggestions while typing
    const typing = await app.inject({
      method: 'GET',
      url: `/persons/duplicates?email=${encodeURIComponent(first.email)}`,
      headers: adviser(),
    });
    expect(typing.json().possibleDuplicates).toEqual([expect.objectContaining({ id: created.id, reasons: ['email'] })]);

    // allowDuplicate creates anyway
    const forced = await app.inject({ method: 'POST', url: '/persons', headers: adviser(), payload: { ...twin, allowDuplicate: true } });
    expect(forced.statusCode).toBe(201);
  });

  it('never suggests persons of another office', async () => {
    const p = uniquePerson();
    expect((await app.inject({ method: 'POST', url: '/persons', headers: bearer(otherOffice.tokens.adviser), payload: p })).statusCode).toBe(201);
    expect((await app.inject({ method: 'POST', url: '/persons', headers: adviser(), payload: p })).statusCode).toBe(201);
  });

  it('searches by name or e-mail, case-insensitive and paged', async () => {
    const tag = `Zoek${Date.now()}`;
    for (const i of [1, 2, 3]) {
      const p = uniquePerson({ lastName: `${tag}-${i}`, birthDate: undefined, address: undefined, email: `${tag.toLowerCase()}.${i}@example.nl` });
      expect((await app.inject({ method: 'POST', url: '/persons', headers: adviser(), payload: p })).statusCode).toBe(201);
    }
    const page = await app.inject({ method: 'GET', url: `/persons?q=${tag.toUpperCase()}&limit=2&offset=0`, headers: adviser() });
    expect(page.json()).toMatchObject({ total: 3, limit: 2, offset: 0 });
    expect(page.json().items).toHaveLength(2);
    const byMail = await app.inject({ method: 'GET', url: `/persons?q=${tag.toLowerCase()}.3@`, headers: adviser() });
    expect(byMail.json().total).toBe(1);
    const otherSees = await app.inject({ method: 'GET', url: `/persons?q=${tag}`, headers: bearer(otherOffice.tokens.adviser) });
    expect(otherSees.json().total).toBe(0);
  });
});

describe('dossiers', () => {
  it('creates a prospect dossier with a new and an existing applicant', async () => {
    const existing = (await app.inject({ method: 'POST', url: '/persons', headers: adviser(), payload: uniquePerson() })).json();
    const res = await app.inject({
      method: 'POST',
      url: '/dossiers',
      headers: adviser(),
      payload: { applicants: [{ person: uniquePerson({ firstName: 'Bram' }) }, { personId: existing.id }] },
    });
    expect(res.statusCode).toBe(201);
    const dossier = res.json();
    expect(dossier.status).toBe('prospect');
    expect(dossier.number).toMatch(/^\d{4}-\d{6}$/);
    expect(dossier.applicants.map((a: { person: { firstName: string } }) => a.person.firstName)).toEqual(['Bram', 'Anna']);
    expect(dossier.history).toEqual([expect.objectContaining({ kind: 'created', toStatus: 'prospect', actor: office.credentialIds.adviser })]);

    const found = await app.inject({ method: 'GET', url: `/dossiers?q=${encodeURIComponent(existing.lastName)}&status=prospect`, headers: adviser() });
    expect(found.json().items.map((d: { id: string }) => d.id)).toContain(dossier.id);
    const listed = found.json().items.find((d: { id: string }) => d.id === dossier.id);
    expect(listed.applicants.map((a: { position: number; personId: string }) => [a.position, a.personId])).toEqual([
      [1, dossier.applicants[0].person.id],
      [2, existing.id],
    ]);
    // The total counts every match, also on a page past the end (no row carries it there).
    const total = found.json().total as number;
    expect(total).toBeGreaterThanOrEqual(1);
    const pastEnd = await app.inject({
      method: 'GET',
      url: `/dossiers?q=${encodeURIComponent(existing.lastName)}&status=prospect&offset=${total + 5}`,
      headers: adviser(),
    });
    expect(pastEnd.json()).toMatchObject({ items: [], total });
  });

  it('409 with suggestions for a likely duplicate applicant, and nothing is created', async () => {
    const existing = uniquePerson();
    await app.inject({ method: 'POST', url: '/persons', headers: adviser(), payload: existing });
    const newcomer = uniquePerson({ firstName: 'Nieuw' });
    const before = await app.inject({ method: 'GET', url: '/dossiers?limit=1', headers: adviser() });
    const res = await app.inject({
      method: 'POST',
      url: '/dossiers',
      headers: adviser(),
      payload: { applicants: [{ person: newcomer }, { person: { ...existing, firstName: 'Anja' } }] },
    });
    const body = expectProblem(res, 409);
    expect(body.applicantIndex).toBe(1);
    expect((body.possibleDuplicates as unknown[]).length).toBe(1);
    // the first applicant was not created either (one transaction)
    const search = await app.inject({ method: 'GET', url: `/persons?q=${encodeURIComponent(newcomer.lastName)}`, headers: adviser() });
    expect(search.json().total).toBe(0);
    const after = await app.inject({ method: 'GET', url: '/dossiers?limit=1', headers: adviser() });
    expect(after.json().total).toBe(before.json().total);
  });

  it('404 problem for an unknown dossier and for another office\'s dossier', async () => {
    expectProblem(await app.inject({ method: 'GET', url: '/dossiers/6d0c56f4-1111-4a2b-9c3d-000000000000', headers: adviser() }), 404);
    expectProblem(await app.inject({ method: 'GET', url: '/dossiers/not-a-uuid', headers: adviser() }), 404);
    const theirs = await app.inject({
      method: 'POST',
      url: '/dossiers',
      headers: bearer(otherOffice.tokens.adviser),
      payload: { applicants: [{ person: uniquePerson() }] },
    });
    expect(theirs.statusCode).toBe(201);
    const res = await app.inject({ method: 'GET', url: `/dossiers/${theirs.json().id}`, headers: adviser() });
    expectProblem(res, 404);
  });

  it('400 for zero or three applicants', async () => {
    expectProblem(await app.inject({ method: 'POST', url: '/dossiers', headers: adviser(), payload: { applicants: [] } }), 400);
    const three = [1, 2, 3].map(() => ({ person: uniquePerson() }));
    expectProblem(await app.inject({ method: 'POST', url: '/dossiers', headers: adviser(), payload: { applicants: three } }), 400);
  });
});

describe('products without a running process engine', () => {
  async function newDossier(): Promise<string> {
    const res = await app.inject({ method: 'POST', url: '/dossiers', headers: adviser(), payload: { applicants: [{ person: uniquePerson() }] } });
    return res.json().id as string;
  }

  it('creates a service product with its parts and starts product:<id> with ids only', async () => {
    const dossierId = await newDossier();
    const res = await app.inject({
      method: 'POST',
      url: `/dossiers/${dossierId}/products`,
      headers: adviser(),
      payload: { type: 'service', parts: [{ description: 'Hypotheekadvies' }] },
    });
    expect(res.statusCode).toBe(201);
    const product = res.json();
    expect(product).toMatchObject({ status: 'new', category: 'new', processKey: 'service', workflowId: `product:${product.id}` });
    expect(product.parts).toEqual([expect.objectContaining({ number: 1, description: 'Hypotheekadvies', status: 'new', category: 'new' })]);
    expect(product.availableSteps.map((s: { id: string }) => s.id)).toEqual(['choose-checklist', 'cancel']);
    expect(product.availableSteps[0].input[0]).toMatchObject({ name: 'profile', type: 'choice', required: true });
    const start = temporal.started.at(-1) as { workflowId: string; args: [Record<string, unknown>]; workflowIdConflictPolicy: string };
    expect(start.workflowId).toBe(`product:${product.id}`);
    expect(start.workflowIdConflictPolicy).toBe('USE_EXISTING');
    expect(Object.keys(start.args[0]).sort()).toEqual(['definition', 'dossierId', 'productId', 'startedBy']);
    expect(JSON.stringify(start.args[0])).not.toMatch(/Anna|Jansen|example\.nl/);

    const part = await app.inject({ method: 'GET', url: `/products/${product.id}/parts/${product.parts[0].id}`, headers: adviser() });
    expect(part.json()).toMatchObject({ status: 'new', statusLabel: 'Nieuw', category: 'new' });
  });

  it('503 and nothing left behind when the workflow cannot be started', async () => {
    const down = buildApp({ orm, temporal: temporalStub({ failStart: true }) });
    try {
      const dossierId = await newDossier();
      const res = await down.inject({
        method: 'POST',
        url: `/dossiers/${dossierId}/products`,
        headers: adviser(),
        payload: { type: 'service', parts: [{ description: 'Advies' }] },
      });
      expectProblem(res, 503);
      const dossier = await app.inject({ method: 'GET', url: `/dossiers/${dossierId}`, headers: adviser() });
      expect(dossier.json().products).toEqual([]);
    } finally {
      await down.close();
    }
  });

  it('404 for an unknown product; 422 for a product type without a published process', async () => {
    expectProblem(await app.inject({ method: 'GET', url: '/products/6d0c56f4-1111-4a2b-9c3d-000000000000', headers: adviser() }), 404);
    // a step on an unknown product, even without a body, is a 404 (not a validation error)
    expectProblem(await app.inject({ method: 'POST', url: '/products/6d0c56f4-1111-4a2b-9c3d-000000000000/steps/cancel', headers: adviser() }), 404);
    const dossierId = await newDossier();
    const res = await app.inject({
      method: 'POST',
      url: `/dossiers/${dossierId}/products`,
      headers: adviser(),
      payload: { type: 'spaceship', parts: [{ description: 'x' }] },
    });
    expectProblem(res, 422);
  });
});

describe('lists, portal and process definitions', () => {
  it('tasks, mails and documents lists answer for the office', async () => {
    const tasks = await app.inject({ method: 'GET', url: '/tasks?status=open', headers: adviser() });
    expect(tasks.statusCode).toBe(200);
    expect(tasks.json()).toMatchObject({ items: [], total: 0 });
    const dossierId = (await app.inject({ method: 'POST', url: '/dossiers', headers: adviser(), payload: { applicants: [{ person: uniquePerson() }] } })).json().id;
    expect((await app.inject({ method: 'GET', url: `/mails?dossierId=${dossierId}`, headers: adviser() })).json()).toMatchObject({ total: 0 });
    expect((await app.inject({ method: 'GET', url: `/dossiers/${dossierId}/documents`, headers: adviser() })).json()).toEqual({ items: [] });
    expectProblem(await app.inject({ method: 'GET', url: '/documents/6d0c56f4-1111-4a2b-9c3d-000000000000', headers: adviser() }), 404);
  });

  it('an unknown portal activation token is a 404 problem (public route)', async () => {
    expectProblem(await app.inject({ method: 'GET', url: '/portal/activate/abcdefghijklmnopqrstuvwxyz' }), 404);
    expectProblem(await app.inject({ method: 'GET', url: '/portal/activate/x' }), 404);
  });

  it('process definitions are readable by designers, not by lenders', async () => {
    const list = await app.inject({ method: 'GET', url: '/process-definitions', headers: bearer(office.tokens.designer) });
    expect(list.json().items).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'service', version: 1 })]));
    const one = await app.inject({ method: 'GET', url: '/process-definitions/service/1', headers: bearer(office.tokens.designer) });
    expect(one.json()).toMatchObject({ key: 'service', version: 1, initialStatus: 'new' });
    expectProblem(await app.inject({ method: 'GET', url: '/process-definitions', headers: bearer(office.tokens.lender) }), 403);
  });
});

describe('OpenAPI', () => {
  it('/docs/json holds the routes, the shared schemas and the bearer scheme', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const path of ['/persons', '/persons/{id}', '/persons/duplicates', '/dossiers', '/dossiers/{id}', '/dossiers/{id}/products', '/products/{id}', '/products/{id}/steps/{stepId}', '/products/{id}/parts/{partId}', '/tasks', '/mails', '/documents/{id}', '/health/ready', '/portal/activate/{token}']) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
    for (const schema of ['Problem', 'PersonInput', 'Person', 'DuplicateSuggestion', 'DossierCreate', 'Dossier', 'Product', 'StepRequest', 'ProcessDefinition']) {
      expect(doc.components.schemas, schema).toHaveProperty([schema]);
    }
    expect(JSON.stringify(doc.paths['/persons'].post.requestBody)).toContain('#/components/schemas/PersonInput');
    const ui = await app.inject({ method: 'GET', url: '/docs' });
    expect(ui.statusCode).toBeLessThan(400);
  });
});
