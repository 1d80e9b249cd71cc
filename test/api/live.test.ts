/**
 * Live updates (`GET /events`) over a real HTTP port, a real Temporal and an in-process worker:
 * a fact the workflow's activity records (a product step's history) and one an adviser writes
 * through the API (a signal) arrive as events on a stream of the same office, and never on a
 * stream of another office; a fact rolled back sends nothing; a closed stream leaves no
 * subscriber behind. No timing assertions: every wait is for a condition, and "nothing arrived"
 * is proven by a later marker event that did arrive on the same (ordered) stream.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MikroORM } from '../../db/orm.js';
import { newId } from '../../db/ids.js';
import { setDossierStatus } from '../../services/dossiers/status.js';
import { LiveHub } from '../../services/live/hub.js';
import { insertTaskOnce } from '../../services/work/store.js';
import { bearer, createTestOffice, databaseUrl, ensureShippedProcesses, openOrm, startAppWithWorker, uniquePerson, type AppWithWorker, type TestOffice } from './support.js';

interface Received {
  kind: string;
  id: string;
  dossierId?: string | null;
  productId?: string | null;
  personId?: string | null;
}

/** A stream read by fetch, its events collected as they arrive. */
interface Stream {
  events: Received[];
  /** Every raw line, to check what else travels (keep-alives, retry). */
  text: () => string;
  close: () => void;
  /** Resolves when the server ended the stream (or it was closed here). */
  ended: Promise<void>;
}

async function openStream(baseUrl: string, token: string): Promise<Stream> {
  const abort = new AbortController();
  const res = await fetch(`${baseUrl}/events`, { headers: bearer(token), signal: abort.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const events: Received[] = [];
  let raw = '';
  let buffer = '';
  const ended = (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        const text = decoder.decode(chunk, { stream: true });
        raw += text;
        buffer += text;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (data) events.push(JSON.parse(data.slice(6)) as Received);
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return { events, text: () => raw, close: () => abort.abort(), ended };
}

describe('live updates: GET /events', () => {
  let orm: MikroORM;
  let platform: AppWithWorker | undefined;
  let hub: LiveHub;
  let baseUrl: string;
  let officeA: TestOffice;
  let officeB: TestOffice;
  const taskQueue = `live-test-${newId().slice(0, 8)}`;

  beforeAll(async () => {
    orm = await openOrm();
    await ensureShippedProcesses(orm);
    officeA = await createTestOffice(orm, 'Livekantoor A');
    officeB = await createTestOffice(orm, 'Livekantoor B');
    hub = new LiveHub(databaseUrl());
    platform = await startAppWithWorker(orm, taskQueue, { live: { hub, keepAliveMs: 200 } });
    baseUrl = await platform.app.listen({ port: 0, host: '127.0.0.1' });
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
    await hub?.close();
    await orm?.close(true);
  });

  const api = (method: 'GET' | 'POST', url: string, token: string, payload?: unknown) =>
    platform!.app.inject({ method, url, headers: bearer(token), ...(payload !== undefined ? { payload: payload as object } : {}) });

  async function newDossier(office: TestOffice): Promise<{ id: string; personId: string }> {
    const res = await api('POST', '/dossiers', office.tokens.adviser, { applicants: [{ person: uniquePerson() }] });
    expect(res.statusCode).toBe(201);
    return { id: res.json().id, personId: res.json().applicants[0].person.id };
  }

  /** A signal of office B's own: when it arrived on B's stream, everything NOTIFYed before it has been delivered there too. */
  async function markerOn(office: TestOffice, stream: Stream): Promise<void> {
    const dossier = await newDossier(office);
    const res = await api('POST', `/persons/${dossier.personId}/signals`, office.tokens.adviser, { title: 'Marker', date: '2026-12-31' });
    expect(res.statusCode).toBe(201);
    const id = res.json().id as string;
    await vi.waitFor(() => expect(stream.events.some((e) => e.kind === 'signal' && e.id === id)).toBe(true), { timeout: 15_000, interval: 50 });
  }

  it("pushes a step the workflow records to the office's stream, with ids only, and nothing to another office", async () => {
    const a = await openStream(baseUrl, officeA.tokens.adviser);
    const b = await openStream(baseUrl, officeB.tokens.adviser);
    try {
      const dossier = await newDossier(officeA);
      const created = await api('POST', `/dossiers/${dossier.id}/products`, officeA.tokens.adviser, { type: 'service', parts: [{ description: 'Hypotheekadvies' }] });
      expect(created.statusCode).toBe(201);
      const productId = created.json().id as string;
      const step = await api('POST', `/products/${productId}/steps/choose-checklist`, officeA.tokens.adviser, { input: { profile: 'loondienst' } });
      expect(step.statusCode).toBe(200);

      // The history entry of the step is written by the worker's activity; its NOTIFY reaches the API's hub.
      await vi.waitFor(
        () => expect(a.events).toContainEqual({ kind: 'product', id: productId, dossierId: dossier.id, productId }),
        { timeout: 30_000, interval: 50 },
      );
      // Ids and kinds only: no event carries any other field (no names, titles, statuses).
      for (const e of a.events) expect(Object.keys(e).every((k) => ['kind', 'id', 'dossierId', 'productId', 'personId'].includes(k)), JSON.stringify(e)).toBe(true);

      await markerOn(officeB, b);
      const officeAIds = new Set([productId, dossier.id, dossier.personId]);
      expect(b.events.filter((e) => officeAIds.has(e.id) || officeAIds.has(e.dossierId ?? '') || officeAIds.has(e.productId ?? ''))).toEqual([]);
      expect(b.events.every((e) => !a.events.some((x) => x.id === e.id))).toBe(true);
      // The stream says how long to wait before reconnecting, and keeps an idle connection alive.
      expect(a.text()).toMatch(/^retry: \d+$/m);
      await vi.waitFor(() => expect(a.text()).toContain(': keep-alive'), { timeout: 15_000, interval: 50 });
    } finally {
      a.close();
      b.close();
    }
  }, 120_000);

  it('pushes a signal an adviser adds through the API', async () => {
    const a = await openStream(baseUrl, officeA.tokens.adviser);
    try {
      const dossier = await newDossier(officeA);
      const res = await api('POST', `/persons/${dossier.personId}/signals`, officeA.tokens.adviser, { title: 'Bellen over offerte', date: '2026-12-31' });
      expect(res.statusCode).toBe(201);
      await vi.waitFor(() => expect(a.events).toContainEqual({ kind: 'signal', id: res.json().id, personId: dossier.personId }), { timeout: 15_000, interval: 50 });
      expect(a.text()).not.toContain('Bellen over offerte');
    } finally {
      a.close();
    }
  });

  it("pushes a dossier's status change (prospect -> klant, as the process activity sets it)", async () => {
    const a = await openStream(baseUrl, officeA.tokens.adviser);
    try {
      const dossier = await newDossier(officeA);
      await setDossierStatus(orm.em.fork(), { dossierId: dossier.id, productId: newId(), key: `live-status-${newId()}`, status: 'client', actor: 'test' }, new Date());
      await vi.waitFor(() => expect(a.events).toContainEqual({ kind: 'dossier', id: dossier.id, dossierId: dossier.id }), { timeout: 15_000, interval: 50 });
    } finally {
      a.close();
    }
  });

  it('sends nothing for a fact whose transaction rolls back (NOTIFY in the same transaction)', async () => {
    const a = await openStream(baseUrl, officeA.tokens.adviser);
    try {
      const dossier = await newDossier(officeA);
      const key = `live-rollback-${newId()}`;
      let taskId: string | undefined;
      await expect(
        orm.em.fork().transactional(async (tem) => {
          taskId = await insertTaskOnce(tem, { key, officeId: officeA.officeId, dossierId: dossier.id, productId: null, title: 'Teruggedraaid', assignee: 'adviser', dueDate: null, createdAt: new Date() });
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect(taskId).toBeDefined();
      // The same insert committed does send one (so the check above can fail).
      const committed = await insertTaskOnce(orm.em.fork(), { key: `${key}-ok`, officeId: officeA.officeId, dossierId: dossier.id, productId: null, title: 'Vastgelegd', assignee: 'adviser', dueDate: null, createdAt: new Date() });
      await vi.waitFor(() => expect(a.events).toContainEqual({ kind: 'task', id: committed, dossierId: dossier.id, productId: null }), { timeout: 15_000, interval: 50 });
      expect(a.events.filter((e) => e.id === taskId)).toEqual([]);
    } finally {
      a.close();
    }
  });

  it('leaves no subscriber behind when the browser goes away', async () => {
    await vi.waitFor(() => expect(hub.subscriberCount).toBe(0), { timeout: 15_000, interval: 50 });
    const streams = await Promise.all([openStream(baseUrl, officeA.tokens.adviser), openStream(baseUrl, officeA.tokens.adviser), openStream(baseUrl, officeB.tokens.adviser)]);
    expect(hub.subscriberCount).toBe(3);
    streams[0]!.close();
    await vi.waitFor(() => expect(hub.subscriberCount).toBe(2), { timeout: 15_000, interval: 50 });
    streams[1]!.close();
    streams[2]!.close();
    await vi.waitFor(() => expect(hub.subscriberCount).toBe(0), { timeout: 15_000, interval: 50 });
  });

  it('refuses without a credential (401 problem+json) and a party role (403)', async () => {
    const none = await fetch(`${baseUrl}/events`);
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const lender = await fetch(`${baseUrl}/events`, { headers: bearer(officeA.tokens.lender!) });
    expect(lender.status).toBe(403);
  });

  // Last: it closes the app of this file.
  it('ends its open streams when the app closes (a graceful shutdown does not wait for them)', async () => {
    const stream = await openStream(baseUrl, officeA.tokens.adviser);
    expect(hub.subscriberCount).toBe(1);
    await platform!.app.close();
    await stream.ended;
    expect(hub.subscriberCount).toBe(0);
  });
});
