/**
 * Track & Trace over the API: the office's products across dossiers with status, category,
 * maatschappij and days in status; filters narrow the list, counts keep the spread (apart from
 * maatschappij, type and age), paging, and office scoping. Products are made through the API;
 * their status changes are written as the workflow records them (product_history), with dates
 * in the past so the age in status is known.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import type { MikroORM } from '../../db/orm.js';
import { newId } from '../../db/ids.js';
import { bearer, createTestOffice, ensureShippedProcesses, openOrm, temporalStub, uniquePerson, type TestOffice } from './support.js';

const DAY = 86_400_000;

describe('GET /track-and-trace', () => {
  let orm: MikroORM;
  let app: FastifyInstance;
  let a: TestOffice;
  let b: TestOffice;
  const tag = newId().slice(0, 6);
  const lenderX = `Geldgever X ${tag}`;
  const lenderY = `Geldgever Y ${tag}`;
  const ids = {} as Record<'agreed' | 'fresh' | 'cancelled' | 'other', { product: string; dossier: string }>;

  async function product(office: TestOffice, company: string): Promise<{ product: string; dossier: string }> {
    const dossier = await app.inject({ method: 'POST', url: '/dossiers', headers: bearer(office.tokens.adviser), payload: { applicants: [{ person: uniquePerson() }] } });
    expect(dossier.statusCode).toBe(201);
    const res = await app.inject({
      method: 'POST',
      url: `/dossiers/${dossier.json().id}/products`,
      headers: bearer(office.tokens.adviser),
      payload: { type: 'service', company, parts: [{ description: 'Hypotheekadvies' }] },
    });
    expect(res.statusCode).toBe(201);
    return { product: res.json().id, dossier: dossier.json().id };
  }

  /** Starts the product `startedDaysAgo`, then (optionally) moves it to `to` `movedDaysAgo`. */
  async function age(productId: string, startedDaysAgo: number, move?: { to: string; category: string; daysAgo: number }) {
    const em = orm.em.fork();
    const started = new Date(Date.now() - startedDaysAgo * DAY - 3_600_000);
    await em.execute('update products set created_at = ? where id = ?', [started, productId]);
    await em.execute(
      `insert into product_history (id, product_id, key, seq, at, actor, kind, label, from_status, to_status) values (?, ?, ?, 0, ?, 'system', 'started', 'Gestart', 'new', 'new')`,
      [newId(), productId, `tt-${productId}-0`, started],
    );
    if (!move) return;
    await em.execute(
      `insert into product_history (id, product_id, key, seq, at, actor, kind, step_id, label, from_status, to_status) values (?, ?, ?, 1, ?, 'adviser', 'step', 'x', 'Stap', 'new', ?)`,
      [newId(), productId, `tt-${productId}-1`, new Date(Date.now() - move.daysAgo * DAY - 3_600_000), move.to],
    );
    await em.execute('update products set status = ?, category = ? where id = ?', [move.to, move.category, productId]);
  }

  beforeAll(async () => {
    orm = await openOrm();
    await ensureShippedProcesses(orm);
    a = await createTestOffice(orm, 'Track A');
    b = await createTestOffice(orm, 'Track B');
    app = buildApp({ orm, temporal: temporalStub() });
    await app.ready();
    ids.agreed = await product(a, lenderX);
    ids.fresh = await product(a, lenderX);
    ids.cancelled = await product(a, lenderY);
    ids.other = await product(b, lenderX);
    await age(ids.agreed.product, 20, { to: 'agreed', category: 'running', daysAgo: 10 });
    await age(ids.fresh.product, 3);
    await age(ids.cancelled.product, 30, { to: 'cancelled', category: 'ended', daysAgo: 1 });
    await age(ids.other.product, 50);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await orm?.close(true);
  });

  const get = (office: TestOffice, query = '') => app.inject({ method: 'GET', url: `/track-and-trace${query}`, headers: bearer(office.tokens.adviser) });

  it('lists the office products longest in status first, with label, age, dossier link and counts', async () => {
    const res = await get(a);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBe(3);
    expect(body.items.map((i: { productId: string }) => i.productId)).toEqual([ids.agreed.product, ids.fresh.product, ids.cancelled.product]);
    expect(body.items[0]).toMatchObject({
      dossierId: ids.agreed.dossier,
      type: 'service',
      company: lenderX,
      status: 'agreed',
      statusLabel: 'Opdracht verstrekt',
      category: 'running',
      daysInStatus: 10,
    });
    expect(body.items[0].clientName).toMatch(/^Anna Jansen-/);
    expect(body.items[1]).toMatchObject({ status: 'new', statusLabel: 'Nieuw', daysInStatus: 3 });
    expect(body.items[2]).toMatchObject({ status: 'cancelled', category: 'ended', daysInStatus: 1 });
    expect(body.counts.byStatus).toEqual([
      { status: 'cancelled', statusLabel: 'Vervallen', category: 'ended', count: 1 },
      { status: 'new', statusLabel: 'Nieuw', category: 'new', count: 1 },
      { status: 'agreed', statusLabel: 'Opdracht verstrekt', category: 'running', count: 1 },
    ]);
    expect(body.counts.byCategory).toEqual([
      { category: 'ended', count: 1 },
      { category: 'new', count: 1 },
      { category: 'running', count: 1 },
    ]);
    expect(body.counts.byCompany).toEqual([
      { company: lenderX, count: 2 },
      { company: lenderY, count: 1 },
    ]);
    expect(body.counts.byType).toEqual([{ type: 'service', count: 3 }]);
  });

  const only = async (query: string) => {
    const res = await get(a, query);
    expect(res.statusCode).toBe(200);
    return res.json() as { total: number; items: { productId: string }[]; counts: { byCategory: { count: number }[] } };
  };

  it.each([
    ['status', `?status=agreed`, ['agreed'], 3],
    ['two statuses', `?status=agreed&status=cancelled`, ['agreed', 'cancelled'], 3],
    ['category', `?category=ended`, ['cancelled'], 3],
    ['maatschappij', `?company=${encodeURIComponent(lenderY)}`, ['cancelled'], 1],
    ['at least 5 days in status', `?minDaysInStatus=5`, ['agreed'], 1],
    ['at most 2 days in status', `?maxDaysInStatus=2`, ['cancelled'], 1],
    ['3 days exactly', `?minDaysInStatus=3&maxDaysInStatus=3`, ['fresh'], 1],
    ['type', `?type=mortgage`, [], 0],
  ] as const)('filters by %s; counts follow only maatschappij, type and age', async (_name, query, expected, counted) => {
    const body = await only(query);
    expect(body.items.map((i) => i.productId)).toEqual(expected.map((k) => ids[k as keyof typeof ids].product));
    expect(body.total).toBe(expected.length);
    expect(body.counts.byCategory.reduce((n, c) => n + c.count, 0)).toBe(counted);
  });

  it('pages: limit and offset over the sorted list, total over all', async () => {
    const body = await only('?limit=1&offset=1');
    expect(body.total).toBe(3);
    expect(body.items.map((i) => i.productId)).toEqual([ids.fresh.product]);
    const byDossier = await only('?sort=status');
    expect(byDossier.items.map((i) => i.productId)).toEqual([ids.cancelled.product, ids.fresh.product, ids.agreed.product]);
  });

  it("is office scoped: office B sees only its own product, never A's", async () => {
    const body = (await get(b)).json();
    expect(body.items.map((i: { productId: string }) => i.productId)).toEqual([ids.other.product]);
    expect(body.counts.byCompany).toEqual([{ company: lenderX, count: 1 }]);
    const none = (await get(b, `?company=${encodeURIComponent(lenderY)}`)).json();
    expect(none).toMatchObject({ total: 0, items: [] });
  });

  it.each([['?category=gone'], ['?minDaysInStatus=-1'], ['?limit=0'], ['?sort=age'], ['?unknown=1']])('refuses %s with a 400 problem', async (query) => {
    const res = await get(a, query);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('is for advisers: a lender credential gets 403', async () => {
    const res = await app.inject({ method: 'GET', url: '/track-and-trace', headers: bearer(a.tokens.lender) });
    expect(res.statusCode).toBe(403);
  });
});
