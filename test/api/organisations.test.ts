/**
 * Organisations in the CRM (issue 19 deliverable 3) with inject() against a real PostgreSQL:
 * create with normalised KvK numbers, the duplicate check on the KvK number (409 naming the
 * existing one, allowDuplicate, two establishments), search and paging, office scoping, edits
 * with the version (409 edited-meanwhile), contact persons both ways, dossier and product links
 * (stored, refused when the product knows it, derived from the product's company and HDN lender
 * code), the delete rule (409 while linked, archive instead) and the overview counter.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { newId } from '../../db/ids.js';
import type { MikroORM } from '../../db/orm.js';
import { bearer, createTestOffice, ensureShippedProcesses, openOrm, temporalStub, uniquePerson, type TestOffice } from './support.js';

let orm: MikroORM;
let app: FastifyInstance;
let office: TestOffice;
let other: TestOffice;
const tag = newId().replace(/-/g, '').slice(0, 6).toUpperCase();
/** A KvK number of 8 digits unique to this run (tests never assume empty tables). */
const kvk = (n: number): string => `${String(Math.floor(Math.random() * 9_000) + 1_000)}${String(n).padStart(4, '0')}`;
const lenderCode = `ORGBANK-${tag}`;

beforeAll(async () => {
  orm = await openOrm();
  await ensureShippedProcesses(orm);
  office = await createTestOffice(orm, 'Organisatiekantoor');
  other = await createTestOffice(orm, 'Ander kantoor');
  await orm.em.fork().execute('insert into hdn_lenders (code, name, node_number) values (?, ?, ?)', [lenderCode, `Hypotheekbank ${tag}`, `LN${tag.slice(0, 4)}`]);
  app = buildApp({ orm, temporal: temporalStub() });
  await app.ready();
}, 120_000);

afterAll(async () => {
  await app?.close();
  await orm?.close(true);
});

const adviser = (o: TestOffice = office) => bearer(o.tokens.adviser);
const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = adviser()) =>
  app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });

async function createOrg(payload: Record<string, unknown>, o: TestOffice = office) {
  const res = await call('POST', '/organisations', payload, adviser(o));
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; version: number; kvkNumber: string | null; name: string };
}

async function newDossier(): Promise<{ dossierId: string; personId: string; number: string }> {
  const res = await call('POST', '/dossiers', { applicants: [{ person: uniquePerson() }] });
  expect(res.statusCode, res.body).toBe(201);
  return { dossierId: res.json().id, personId: res.json().applicants[0].person.id, number: res.json().number };
}

/** A product as its workflow would have left it, with its company (maatschappij). */
async function product(dossierId: string, type: 'mortgage' | 'insurance' | 'service', company: string | null): Promise<string> {
  const id = newId();
  await orm.em.fork().execute(
    `insert into products (id, office_id, dossier_id, type, company, process_key, process_version, status, category, workflow_id, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, 1, 'lopend', 'running', ?, now(), now())`,
    [id, office.officeId, dossierId, type, company, type, `test:${id}`],
  );
  return id;
}

describe('create, normalise, validate', () => {
  it('stores the KvK number and vestigingsnummer without separators and the website with a scheme', async () => {
    const number = kvk(1);
    const res = await call('POST', '/organisations', {
      kind: 'notary',
      name: `Notariskantoor De Akte ${tag}`,
      kvkNumber: `${number.slice(0, 4)} ${number.slice(4)}`,
      establishmentNumber: '0000.1234.5678',
      address: { street: 'Stationsplein', houseNumber: 1, postcode: '3511 ed', city: 'Utrecht' },
      phone: '030-1234567',
      email: 'info@deakte.example',
      website: 'www.deakte.example',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers.etag).toBe('"1"');
    expect(res.json()).toMatchObject({
      kind: 'notary',
      kvkNumber: number,
      establishmentNumber: '000012345678',
      website: 'https://www.deakte.example',
      address: { postcode: '3511ED', city: 'Utrecht', houseNumberSuffix: null },
      archived: false,
      version: 1,
    });
    const read = await call('GET', `/organisations/${res.json().id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(res.json());
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ['a KvK number of 7 digits', { kvkNumber: '1234567' }, '/body/kvkNumber'],
    ['a KvK number with a letter', { kvkNumber: '1234567X' }, '/body/kvkNumber'],
    ['a vestigingsnummer of 8 digits', { establishmentNumber: '12345678' }, '/body/establishmentNumber'],
    ['a website without a domain', { website: 'intranet' }, '/body/website'],
    ['an unknown HDN lender code', { lenderCode: 'NO-SUCH-LENDER' }, '/body/lenderCode'],
    ['an unknown kind', { kind: 'bakery' }, '/body/kind'],
  ];
  it.each(invalid)('refuses %s at its field', async (_, extra, path) => {
    const res = await call('POST', '/organisations', { kind: 'employer', name: `Werkgever ${tag}`, ...extra });
    expect(res.statusCode, res.body).toBe(400);
    expect(String(res.headers['content-type'])).toMatch(/problem\+json/);
    expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
  });
});

describe('duplicate check on the KvK number', () => {
  it('answers 409 possible-duplicate naming the existing organisation; allowDuplicate creates anyway', async () => {
    const number = kvk(2);
    const first = await createOrg({ kind: 'employer', name: `Bouwbedrijf Stevig ${tag}`, kvkNumber: number, address: { street: 'Havenweg', houseNumber: 4, postcode: '1234AB', city: 'Zwolle' } });
    const again = await call('POST', '/organisations', { kind: 'employer', name: 'Stevig Bouw', kvkNumber: `${number.slice(0, 2)}.${number.slice(2)}` });
    expect(again.statusCode, again.body).toBe(409);
    expect(String(again.headers['content-type'])).toMatch(/problem\+json/);
    expect(again.json()).toMatchObject({ type: expect.stringContaining('possible-duplicate'), possibleDuplicates: [{ id: first.id, name: first.name, kvkNumber: number, city: 'Zwolle', archived: false }] });
    expect(again.json().detail).toContain(first.name);
    const forced = await call('POST', '/organisations', { kind: 'employer', name: 'Stevig Bouw', kvkNumber: number, allowDuplicate: true });
    expect(forced.statusCode, forced.body).toBe(201);
  });

  it('takes two establishments of one company (different vestigingsnummers) as two parties', async () => {
    const number = kvk(3);
    await createOrg({ kind: 'accountant', name: `Cijfers Noord ${tag}`, kvkNumber: number, establishmentNumber: '000011112222' });
    const south = await call('POST', '/organisations', { kind: 'accountant', name: `Cijfers Zuid ${tag}`, kvkNumber: number, establishmentNumber: '000033334444' });
    expect(south.statusCode, south.body).toBe(201);
    // Without a vestigingsnummer it may be either: a likely duplicate of both.
    const unknownBranch = await call('POST', '/organisations', { kind: 'accountant', name: 'Cijfers', kvkNumber: number });
    expect(unknownBranch.statusCode).toBe(409);
    expect(unknownBranch.json().possibleDuplicates).toHaveLength(2);
  });

  it('checks an edit that changes the KvK number, not one that keeps it', async () => {
    const taken = kvk(4);
    await createOrg({ kind: 'insurer', name: `Verzekeraar Een ${tag}`, kvkNumber: taken });
    const mine = await createOrg({ kind: 'insurer', name: `Verzekeraar Twee ${tag}`, kvkNumber: kvk(5) });
    const clash = await call('PATCH', `/organisations/${mine.id}`, { version: 1, kvkNumber: taken });
    expect(clash.statusCode, clash.body).toBe(409);
    expect(clash.json().possibleDuplicates[0].kvkNumber).toBe(taken);
    const rename = await call('PATCH', `/organisations/${mine.id}`, { version: 1, name: `Verzekeraar Twee NV ${tag}` });
    expect(rename.statusCode, rename.body).toBe(200);
    const forced = await call('PATCH', `/organisations/${mine.id}`, { version: 2, kvkNumber: taken, allowDuplicate: true });
    expect(forced.statusCode, forced.body).toBe(200);
    expect(forced.json()).toMatchObject({ kvkNumber: taken, version: 3 });
  });

  it('lets only one of six simultaneous creates with the same KvK number through', async () => {
    const number = kvk(8);
    const all = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => call('POST', '/organisations', { kind: 'employer', name: `Tegelijk ${n} ${tag}`, kvkNumber: number })));
    expect(all.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409, 409]);
  });

  it('is per office: the same KvK number in another office is no duplicate', async () => {
    const number = kvk(6);
    await createOrg({ kind: 'lender', name: `Bank ${tag}`, kvkNumber: number });
    const elsewhere = await call('POST', '/organisations', { kind: 'lender', name: `Bank ${tag}`, kvkNumber: number }, adviser(other));
    expect(elsewhere.statusCode, elsewhere.body).toBe(201);
  });
});

describe('search and office scoping', () => {
  it('finds by name, KvK number and city, pages, and hides archived ones unless asked', async () => {
    const city = `Plaats${tag}`;
    const number = kvk(7);
    const a = await createOrg({ kind: 'estate_agent', name: `Makelaardij Alfa ${tag}`, kvkNumber: number, address: { street: 'Markt', houseNumber: 2, postcode: '5611AA', city } });
    const b = await createOrg({ kind: 'estate_agent', name: `Makelaardij Beta ${tag}`, address: { street: 'Markt', houseNumber: 3, postcode: '5611AA', city } });
    const byName = await call('GET', `/organisations?q=${encodeURIComponent(`Alfa ${tag}`)}`);
    expect(byName.json().items.map((o: { id: string }) => o.id)).toEqual([a.id]);
    const byKvk = await call('GET', `/organisations?q=${number.slice(0, 4)}%20${number.slice(4)}`);
    expect(byKvk.json().items.map((o: { id: string }) => o.id)).toContain(a.id);
    const byCity = await call('GET', `/organisations?q=${city}&limit=1`);
    expect(byCity.json()).toMatchObject({ total: 2, limit: 1, offset: 0 });
    expect(byCity.json().items.map((o: { id: string }) => o.id)).toEqual([a.id]);
    const page2 = await call('GET', `/organisations?q=${city}&limit=1&offset=1`);
    expect(page2.json().items.map((o: { id: string }) => o.id)).toEqual([b.id]);
    const byKind = await call('GET', `/organisations?q=${city}&kind=notary`);
    expect(byKind.json().total).toBe(0);

    const archived = await call('PATCH', `/organisations/${b.id}`, { version: 1, archived: true });
    expect(archived.statusCode, archived.body).toBe(200);
    expect(archived.json().archived).toBe(true);
    expect((await call('GET', `/organisations?q=${city}`)).json().items.map((o: { id: string }) => o.id)).toEqual([a.id]);
    expect((await call('GET', `/organisations?q=${city}&includeArchived=true`)).json().total).toBe(2);
  });

  it('never shows, edits, links or deletes another office\'s organisation', async () => {
    const theirs = await createOrg({ kind: 'notary', name: `Notaris Elders ${tag}` }, other);
    expect((await call('GET', `/organisations/${theirs.id}`)).statusCode).toBe(404);
    expect((await call('PATCH', `/organisations/${theirs.id}`, { version: 1, name: 'Overgenomen' })).statusCode).toBe(404);
    expect((await call('GET', `/organisations/${theirs.id}/contacts`)).statusCode).toBe(404);
    expect((await call('GET', `/organisations/${theirs.id}/links`)).statusCode).toBe(404);
    expect((await call('DELETE', `/organisations/${theirs.id}`, undefined, bearer(office.tokens.admin))).statusCode).toBe(404);
    expect((await call('GET', `/organisations?q=${encodeURIComponent(`Notaris Elders ${tag}`)}`)).json().total).toBe(0);
    // A person and a dossier of the other office cannot be linked to ours.
    const mine = await createOrg({ kind: 'notary', name: `Notaris Hier ${tag}` });
    const theirDossier = await call('POST', '/dossiers', { applicants: [{ person: uniquePerson() }] }, adviser(other));
    const contact = await call('POST', `/organisations/${mine.id}/contacts`, { personId: theirDossier.json().applicants[0].person.id, role: 'notary' });
    expect(contact.statusCode, contact.body).toBe(422);
    const link = await call('POST', `/organisations/${mine.id}/links`, { dossierId: theirDossier.json().id, role: 'notary' });
    expect(link.statusCode, link.body).toBe(422);
    expect((await call('GET', `/dossiers/${theirDossier.json().id}/parties`)).statusCode).toBe(404);
  });
});

describe('edits with the version', () => {
  it('refuses an edit from an old version (409 edited-meanwhile) and one without a version (400); If-Match works', async () => {
    const org = await createOrg({ kind: 'employer', name: `Zorginstelling ${tag}` });
    const first = await call('PATCH', `/organisations/${org.id}`, { phone: '010-7654321' }, { ...adviser(), 'if-match': '"1"' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers.etag).toBe('"2"');
    const stale = await call('PATCH', `/organisations/${org.id}`, { version: 1, name: 'Iets anders' });
    expect(stale.statusCode, stale.body).toBe(409);
    expect(stale.json()).toMatchObject({ type: expect.stringContaining('edited-meanwhile'), currentVersion: 2 });
    expect((await call('GET', `/organisations/${org.id}`)).json()).toMatchObject({ name: org.name, phone: '010-7654321', version: 2 });
    const noVersion = await call('PATCH', `/organisations/${org.id}`, { name: 'Zonder versie' });
    expect(noVersion.statusCode).toBe(400);
    expect(noVersion.json().errors[0].path).toBe('/body/version');
    // Sending the same values changes nothing: the version stays.
    const same = await call('PATCH', `/organisations/${org.id}`, { version: 2, phone: '010-7654321' });
    expect(same.json().version).toBe(2);
    const cleared = await call('PATCH', `/organisations/${org.id}`, { version: 2, phone: null });
    expect(cleared.json()).toMatchObject({ phone: null, version: 3 });
  });
});

describe('contact persons', () => {
  it('links a CRM person with a role and shows it on both sides; a period ending in the past is no longer current', async () => {
    const org = await createOrg({ kind: 'lender', name: `Regiobank ${tag}` });
    const { personId } = await newDossier();
    const added = await call('POST', `/organisations/${org.id}/contacts`, { personId, role: 'account_manager', functionTitle: 'Accountmanager intermediair', startDate: '2024-01-01' });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toMatchObject({ organisationId: org.id, organisationName: org.name, personId, role: 'account_manager', functionTitle: 'Accountmanager intermediair', startDate: '2024-01-01', endDate: null, current: true });
    const listed = await call('GET', `/organisations/${org.id}/contacts`);
    expect(listed.json().items.map((c: { personId: string }) => c.personId)).toEqual([personId]);
    const onCard = await call('GET', `/persons/${personId}/organisations`);
    expect(onCard.json().items).toMatchObject([{ organisationId: org.id, role: 'account_manager' }]);

    expect((await call('POST', `/organisations/${org.id}/contacts`, { personId, role: 'account_manager' })).statusCode).toBe(409);
    const backwards = await call('POST', `/organisations/${org.id}/contacts`, { personId, role: 'director', startDate: '2024-05-01', endDate: '2024-04-30' });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().errors[0].path).toBe('/body/endDate');

    const left = await call('PATCH', `/organisations/${org.id}/contacts/${added.json().id}`, { endDate: '2025-01-31' });
    expect(left.statusCode, left.body).toBe(200);
    expect(left.json()).toMatchObject({ endDate: '2025-01-31', current: false, functionTitle: 'Accountmanager intermediair' });
    expect((await call('GET', `/persons/${personId}/organisations`, undefined, adviser(other))).statusCode).toBe(404);
    expect((await call('DELETE', `/organisations/${org.id}/contacts/${added.json().id}`)).statusCode).toBe(204);
    expect((await call('GET', `/persons/${personId}/organisations`)).json().items).toEqual([]);
  });
});

describe('links to dossiers and products', () => {
  it('stores the notary of a dossier and of a product and shows them as betrokken partijen', async () => {
    const notary = await createOrg({ kind: 'notary', name: `Notaris Zegel ${tag}` });
    const employer = await createOrg({ kind: 'employer', name: `Werkgever Zegel ${tag}` });
    const { dossierId, number } = await newDossier();
    const mortgage = await product(dossierId, 'mortgage', null);
    const onDossier = await call('POST', `/organisations/${employer.id}/links`, { dossierId, role: 'employer' });
    expect(onDossier.statusCode, onDossier.body).toBe(201);
    expect(onDossier.json()).toMatchObject({ organisationId: employer.id, role: 'employer', dossierId, dossierNumber: number, productId: null, derived: false });
    const onProduct = await call('POST', `/organisations/${notary.id}/links`, { productId: mortgage, role: 'notary' });
    expect(onProduct.statusCode, onProduct.body).toBe(201);
    expect(onProduct.json()).toMatchObject({ productId: mortgage, productType: 'mortgage', dossierId, derived: false });
    expect((await call('POST', `/organisations/${notary.id}/links`, { productId: mortgage, role: 'notary' })).statusCode).toBe(409);
    expect((await call('POST', `/organisations/${notary.id}/links`, { dossierId, productId: mortgage, role: 'notary' })).statusCode).toBe(400);

    const parties = await call('GET', `/dossiers/${dossierId}/parties`);
    expect(parties.statusCode).toBe(200);
    expect(parties.json().items.map((p: { organisationId: string; role: string }) => `${p.role}:${p.organisationId}`).sort()).toEqual([`employer:${employer.id}`, `notary:${notary.id}`].sort());
    const ofNotary = await call('GET', `/organisations/${notary.id}/links`);
    expect(ofNotary.json().items).toMatchObject([{ productId: mortgage, dossierNumber: number }]);
    expect((await call('DELETE', `/organisations/${notary.id}/links/${onProduct.json().id}`)).statusCode).toBe(204);
    expect((await call('GET', `/organisations/${notary.id}/links`)).json().items).toEqual([]);
  });

  it("derives the lender of a mortgage from the product's company and HDN lender code, and refuses to store it", async () => {
    const byName = await createOrg({ kind: 'lender', name: `Spaarbank ${tag}` });
    const byCode = await createOrg({ kind: 'lender', name: `Hypotheekbank (HDN) ${tag}`, lenderCode });
    // A notary that happens to carry the name a product's company has is not that product's lender.
    const notALender = await createOrg({ kind: 'notary', name: `Een andere bank ${tag}` });
    const { dossierId } = await newDossier();
    const named = await product(dossierId, 'mortgage', `spaarbank ${tag}`.replace('spaarbank', 'Spaarbank'));
    const viaHdn = await product(dossierId, 'mortgage', `Hypotheekbank ${tag}`);
    await product(dossierId, 'mortgage', `Een andere bank ${tag}`);

    const refused = await call('POST', `/organisations/${byName.id}/links`, { productId: named, role: 'lender' });
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json().type).toContain('role-derived-from-product');

    const parties = (await call('GET', `/dossiers/${dossierId}/parties`)).json().items as { organisationId: string; productId: string; role: string; derived: boolean; id: string | null }[];
    expect(parties.map((p) => `${p.role}:${p.organisationId}:${p.productId}:${p.derived}`).sort()).toEqual(
      [`lender:${byName.id}:${named}:true`, `lender:${byCode.id}:${viaHdn}:true`].sort(),
    );
    expect(parties.every((p) => p.id === null)).toBe(true);
    expect((await call('GET', `/organisations/${byCode.id}/links`)).json().items).toMatchObject([{ productId: viaHdn, derived: true, role: 'lender' }]);
    expect((await call('GET', `/organisations/${notALender.id}/links`)).json().items).toEqual([]);
    // Nothing was stored for the derived links.
    const stored = await orm.em.fork().execute<{ n: number }[]>('select count(*)::int as n from crm_organisation_links where organisation_id in (?, ?)', [byName.id, byCode.id]);
    expect(stored[0]!.n).toBe(0);
  });
});

describe('delete or archive', () => {
  it('refuses to delete a linked organisation (409 organisation-still-linked), archives it, and deletes an unlinked one', async () => {
    const admin = bearer(office.tokens.admin);
    const linked = await createOrg({ kind: 'notary', name: `Notaris Blijft ${tag}` });
    const { dossierId, personId } = await newDossier();
    await call('POST', `/organisations/${linked.id}/links`, { dossierId, role: 'notary' });
    await call('POST', `/organisations/${linked.id}/contacts`, { personId, role: 'notary' });
    const refused = await call('DELETE', `/organisations/${linked.id}`, undefined, admin);
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json()).toMatchObject({ type: expect.stringContaining('organisation-still-linked'), linked: { contacts: 1, dossiers: 1 } });
    expect((await call('PATCH', `/organisations/${linked.id}`, { version: 1, archived: true })).json().archived).toBe(true);
    expect((await call('GET', `/dossiers/${dossierId}/parties`)).json().items).toMatchObject([{ organisationId: linked.id, role: 'notary' }]);

    const loose = await createOrg({ kind: 'other', name: `Los ${tag}` });
    expect((await call('DELETE', `/organisations/${loose.id}`)).statusCode).toBe(403);
    expect((await call('DELETE', `/organisations/${loose.id}`, undefined, admin)).statusCode).toBe(204);
    expect((await call('GET', `/organisations/${loose.id}`)).statusCode).toBe(404);
  });
});
