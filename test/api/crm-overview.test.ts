/**
 * The CRM overview (*CRM | Overzicht*, issue 19 deliverable 8) over the API against the real
 * PostgreSQL: on data seeded in a fresh office the counts per component are exact, the latest
 * created and latest updated item is the one made or changed last (with its link), another
 * office's rows never count, and a component added as one registry entry (a feature's own
 * `load`, as organisations will be) appears next to the SQL ones.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import type { MikroORM } from '../../db/orm.js';
import { crmOverview, overviewComponents, type OverviewComponent } from '../../services/crm/overview.js';
import { bearer, createTestOffice, ensureShippedProcesses, openOrm, temporalStub, uniquePerson, type TestOffice } from './support.js';

let orm: MikroORM;
let app: FastifyInstance;
let office: TestOffice;
let otherOffice: TestOffice;

beforeAll(async () => {
  orm = await openOrm();
  await ensureShippedProcesses(orm);
  office = await createTestOffice(orm, 'Overzichtkantoor');
  otherOffice = await createTestOffice(orm, 'Anderkantoor');
  app = buildApp({ orm, temporal: temporalStub() });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await orm?.close(true);
});

type Item = { id: string; label: string; at: string; link: string } | null;
type Component = { key: string; label: string; count: number; latestCreated: Item; latestUpdated: Item };

async function overview(o: TestOffice): Promise<Record<string, Component>> {
  const res = await app.inject({ method: 'GET', url: '/crm/overview', headers: bearer(o.tokens.adviser) });
  expect(res.statusCode, res.body).toBe(200);
  return Object.fromEntries((res.json().components as Component[]).map((c) => [c.key, c]));
}

async function post(o: TestOffice, url: string, payload: unknown) {
  const res = await app.inject({ method: 'POST', url, headers: bearer(o.tokens.adviser), payload: payload as Record<string, unknown> });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const pause = () => new Promise((r) => setTimeout(r, 15));

describe('CRM overview', () => {
  it('lists every component of the registry, in order, all empty for a fresh office', async () => {
    const res = await app.inject({ method: 'GET', url: '/crm/overview', headers: bearer(otherOffice.tokens.adviser) });
    expect(res.statusCode).toBe(200);
    const components = res.json().components as Component[];
    expect(components.map((c) => c.key)).toEqual(overviewComponents.map((c) => c.key));
    expect(components.every((c) => c.count === 0 && c.latestCreated === null && c.latestUpdated === null)).toBe(true);
  });

  it('counts the seeded data per component and names the latest created and updated item with its link; another office sees only its own', async () => {
    const anna = await post(office, '/persons', { ...uniquePerson({ firstName: 'Anna' }), allowDuplicate: true });
    await pause();
    const bram = await post(office, '/persons', { ...uniquePerson({ firstName: 'Bram' }), allowDuplicate: true });
    await pause();
    const dossier = await post(office, `/persons/${anna.id}/dossiers`, {});
    await pause();
    await post(office, `/persons/${anna.id}/notes`, { title: 'Eerste notitie' });
    await pause();
    const note = await post(office, `/persons/${bram.id}/notes`, { title: 'Belt terug over rente' });
    await post(office, `/persons/${bram.id}/signals`, { title: 'Rentevaste periode loopt af', date: '2027-03-01' });
    const notary = await post(office, '/organisations', { kind: 'notary', name: 'Notariskantoor Overzicht' });
    // Another office's data must not count.
    const theirs = await post(otherOffice, '/persons', { ...uniquePerson(), allowDuplicate: true });
    await post(otherOffice, `/persons/${theirs.id}/notes`, { title: 'Niet van ons' });

    let seen = await overview(office);
    expect(seen.persons).toMatchObject({ label: 'Personen', count: 2, latestCreated: { id: bram.id, link: `/crm/persons/${bram.id}` } });
    expect(seen.persons!.latestCreated!.label).toContain('Bram');
    expect(seen.dossiers).toMatchObject({ count: 1, latestCreated: { id: dossier.id, label: `Dossier ${dossier.number}`, link: `/dossiers/${dossier.id}` } });
    expect(seen.notes).toMatchObject({ count: 2, latestCreated: { id: note.id, label: 'Belt terug over rente', link: `/crm/persons/${bram.id}` } });
    expect(seen.signals).toMatchObject({ count: 1 });
    expect(seen['person-files']).toMatchObject({ count: 0, latestCreated: null });
    expect(seen.organisations).toMatchObject({ label: 'Organisaties', count: 1, latestCreated: { id: notary.id, label: 'Notariskantoor Overzicht', link: `/crm/organisations/${notary.id}` } });

    // Anna is changed after Bram was made: she is the latest updated, Bram still the latest created.
    await pause();
    const current = (await app.inject({ method: 'GET', url: `/persons/${anna.id}`, headers: bearer(office.tokens.adviser) })).json();
    const edit = await app.inject({ method: 'PATCH', url: `/persons/${anna.id}`, headers: bearer(office.tokens.adviser), payload: { version: current.version, phone: '0612345678' } });
    expect(edit.statusCode, edit.body).toBe(200);
    seen = await overview(office);
    expect(seen.persons).toMatchObject({ count: 2, latestCreated: { id: bram.id }, latestUpdated: { id: anna.id, link: `/crm/persons/${anna.id}` } });
    expect(Date.parse(seen.persons!.latestUpdated!.at)).toBeGreaterThan(Date.parse(seen.persons!.latestCreated!.at));

    const them = await overview(otherOffice);
    expect(them.persons).toMatchObject({ count: 1, latestCreated: { id: theirs.id } });
    expect(them.notes).toMatchObject({ count: 1, latestCreated: { label: 'Niet van ons' } });
    expect(them.dossiers).toMatchObject({ count: 0, latestCreated: null });
    expect(them.organisations).toMatchObject({ count: 0, latestCreated: null });
  });

  it('takes a component that answers for itself as one more registry entry (its own load), next to the SQL ones', async () => {
    const organisations: OverviewComponent = {
      key: 'extern',
      label: 'Extern onderdeel',
      load: async (_em, officeId) => ({ count: officeId === office.officeId ? 3 : 0, latestCreated: null, latestUpdated: null }),
    };
    const result = await crmOverview(orm.em.fork(), office.officeId, [...overviewComponents, organisations]);
    expect(result.components.map((c) => c.key)).toEqual([...overviewComponents.map((c) => c.key), 'extern']);
    expect(result.components.at(-1)).toEqual({ key: 'extern', label: 'Extern onderdeel', count: 3, latestCreated: null, latestUpdated: null });
    expect(result.components.find((c) => c.key === 'persons')!.count).toBe(2);
  });
});
