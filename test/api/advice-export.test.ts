/**
 * Export for advice software (issue 19 deliverable 7) with inject() against a real PostgreSQL:
 * the JSON export of a dossier's client data (persons, family data of deliverable 6, contact
 * data, address, income and obligations from Ockto source data), validated against its own
 * published schema, office scoping, the audit of every export, and the HDN-structured form read
 * back by the codec.
 */
import { FormatRegistry } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { newId } from '../../db/ids.js';
import type { MikroORM } from '../../db/orm.js';
import { readHdnClientData } from '../../integrations/hdn/client-data.js';
import type { Person } from '../../services/crm/persons.schemas.js';
import { AdviceExportSchema, adviceExportSchemaVersion, type AdviceExport } from '../../services/dossiers/advice-export.schemas.js';
import { bearer, createTestOffice, ensureShippedProcesses, openOrm, temporalStub, uniquePerson, type TestOffice } from './support.js';

// TypeBox's Value knows no formats unless registered (the API's Ajv does): the two the format uses.
if (!FormatRegistry.Has('date')) FormatRegistry.Set('date', (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)));
if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', (v) => !Number.isNaN(Date.parse(v)) && /T/.test(v));

let orm: MikroORM;
let app: FastifyInstance;
let office: TestOffice;
let other: TestOffice;

beforeAll(async () => {
  orm = await openOrm();
  await ensureShippedProcesses(orm);
  office = await createTestOffice(orm, 'Exportkantoor');
  other = await createTestOffice(orm, 'Ander kantoor');
  app = buildApp({ orm, temporal: temporalStub(), hdn: { node: 'DFLT01' } });
  await app.ready();
}, 120_000);

afterAll(async () => {
  await app?.close();
  await orm?.close(true);
});

const adviser = (o: TestOffice = office) => bearer(o.tokens.adviser);

async function ok<T = { id: string; [key: string]: unknown }>(res: { statusCode: number; body: string; json: () => unknown }, status = 201): Promise<T> {
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as T;
}

describe('GET /dossiers/:id/advice-export', () => {
  let dossierId: string;
  let dossierNumber: string;
  let anna: Person;
  let bram: Person;
  let ex: Person;

  beforeAll(async () => {
    const annaIn = uniquePerson({ firstName: 'Anna', birthDate: '1980-04-01', phone: '0612345678' });
    const bramIn = uniquePerson({ firstName: 'Bram', birthDate: '1978-09-15' });
    const dossier = await ok<{ id: string; number: string; applicants: { person: Person }[] }>(
      await app.inject({ method: 'POST', url: '/dossiers', headers: adviser(), payload: { applicants: [{ person: annaIn }, { person: bramIn }] } }),
    );
    dossierId = dossier.id;
    dossierNumber = dossier.number;
    [anna, bram] = dossier.applicants.map((a) => a.person) as [Person, Person];
    ex = await ok<Person>(await app.inject({ method: 'POST', url: '/persons', headers: adviser(), payload: uniquePerson({ firstName: 'Ex', birthDate: '1979-02-02' }) }));

    // Family data (deliverable 6): gender and marital status, the current partner (the co-applicant), an ex-partner, children.
    await ok(await app.inject({ method: 'PATCH', url: `/persons/${anna.id}`, headers: adviser(), payload: { version: anna.version, gender: 'female', maritalStatus: 'married_limited_community' } }), 200);
    await ok(await app.inject({ method: 'POST', url: `/persons/${anna.id}/partnerships`, headers: adviser(), payload: { partnerId: ex.id, kind: 'cohabitation', startDate: '2001-01-01', endDate: '2004-06-30', endReason: 'separation' } }));
    await ok(await app.inject({ method: 'POST', url: `/persons/${anna.id}/partnerships`, headers: adviser(), payload: { partnerId: bram.id, kind: 'marriage', startDate: '2008-05-17' } }));
    await ok(await app.inject({ method: 'POST', url: `/persons/${anna.id}/children`, headers: adviser(), payload: { firstName: 'Lotte', lastName: 'Berg', birthDate: '2012-05-05', gender: 'female' } }));
    // The same child recorded on the other parent too: once in the HDN form's household.
    await ok(await app.inject({ method: 'POST', url: `/persons/${bram.id}/children`, headers: adviser(), payload: { firstName: 'Lotte', lastName: 'Berg', birthDate: '2012-05-05' } }));

    // Income and obligations as Ockto delivered them for Anna.
    const retrievalId = newId();
    await orm.em.fork().execute(`insert into ockto_retrievals (id, office_id, person_id, dossier_id, status, requested_by) values (?, ?, ?, ?, 'classified', ?)`, [
      retrievalId,
      office.officeId,
      anna.id,
      dossierId,
      office.credentialIds.adviser,
    ]);
    const data = {
      income: { employment: [{ employer: 'Voorbeeld B.V.', yearlyCents: 5_400_000 }], pension: [], benefits: [{ kind: 'WW', yearlyCents: 120_000 }] },
      registrations: { negativeCreditRegistrations: 0, taxArrearsCents: 25_000 },
    };
    await orm.em.fork().execute(`insert into ockto_source_data (retrieval_id, data, missing, received_via) values (?, ?::jsonb, '[]'::jsonb, 'poll')`, [retrievalId, JSON.stringify(data)]);
  }, 60_000);

  it('answers the clients with their family data, contact data, address, income and obligations, in the published format', async () => {
    const res = await app.inject({ method: 'GET', url: `/dossiers/${dossierId}/advice-export`, headers: adviser() });
    const body = await ok<AdviceExport>(res, 200);
    expect(String(res.headers['content-disposition'])).toContain(`klantgegevens-${dossierNumber}.json`);
    // The answer IS the documented format: it validates against the schema the docs point at.
    expect([...Value.Errors(AdviceExportSchema, body)].map((e) => `${e.path} ${e.message}`)).toEqual([]);
    expect(body).toMatchObject({ format: 'dossierflow.advice-export', schemaVersion: adviceExportSchemaVersion, dossier: { id: dossierId, number: dossierNumber }, office: { id: office.officeId } });
    const [a, b] = body.clients;
    expect(a).toMatchObject({
      position: 1,
      personId: anna.id,
      firstName: 'Anna',
      birthDate: '1980-04-01',
      gender: 'female',
      maritalStatus: 'married_limited_community',
      contact: { email: anna.email, phone: '0612345678' },
      address: { street: 'Dorpsstraat', houseNumber: anna.address?.houseNumber, postcode: anna.address?.postcode, country: 'NL' },
      currentPartner: { personId: bram.id, firstName: 'Bram', birthDate: '1978-09-15', kind: 'marriage', startDate: '2008-05-17', coApplicant: true },
      exPartners: [{ personId: ex.id, firstName: 'Ex', kind: 'cohabitation', endDate: '2004-06-30', endReason: 'separation' }],
      children: [{ firstName: 'Lotte', lastName: 'Berg', birthDate: '2012-05-05', gender: 'female', dateOfDeath: null }],
      income: { origin: 'ockto', lines: [{ kind: 'employment', source: 'Voorbeeld B.V.', yearlyCents: 5_400_000 }, { kind: 'benefit', source: 'WW', yearlyCents: 120_000 }] },
      obligations: { origin: 'ockto', negativeCreditRegistrations: 0, taxArrearsCents: 25_000 },
    });
    expect(b).toMatchObject({ position: 2, personId: bram.id, gender: null, currentPartner: { personId: anna.id, coApplicant: true }, exPartners: [], income: null, obligations: null });
  });

  it('audits every export: who exported the data of which persons from which dossier', async () => {
    const before = await orm.em.fork().execute<{ n: number }[]>(`select count(*)::int as n from privacy_audit where dossier_id = ? and action = 'advice_export'`, [dossierId]);
    await ok(await app.inject({ method: 'GET', url: `/dossiers/${dossierId}/advice-export`, headers: adviser() }), 200);
    const rows = await orm.em.fork().execute<{ person_id: string; actor: string; changes: Record<string, number> }[]>(
      `select person_id, actor, changes from privacy_audit where dossier_id = ? and action = 'advice_export' order by at desc limit 3`,
      [dossierId],
    );
    const after = await orm.em.fork().execute<{ n: number }[]>(`select count(*)::int as n from privacy_audit where dossier_id = ? and action = 'advice_export'`, [dossierId]);
    // Anna, Bram (applicants; Bram is also Anna's partner: once) and the ex-partner.
    expect(after[0]!.n - before[0]!.n).toBe(3);
    expect(new Set(rows.map((r) => r.person_id))).toEqual(new Set([anna.id, bram.id, ex.id]));
    expect(rows.every((r) => r.actor === office.credentialIds.adviser)).toBe(true);
    expect(rows.find((r) => r.person_id === anna.id)?.changes).toMatchObject({ export_json: 1, crm_children: 1, crm_partnerships: 2, ockto_source_data: 1 });
    // The admin's privacy audit lists it.
    const audit = await ok<{ items: unknown[] }>(await app.inject({ method: 'GET', url: `/privacy/audit?personId=${anna.id}`, headers: bearer(office.tokens.admin) }), 200);
    expect(audit.items[0]).toMatchObject({ action: 'advice_export', dossierId, personId: anna.id });
  });

  it('is office-scoped: another office gets 404 and nothing is audited', async () => {
    const before = await orm.em.fork().execute<{ n: number }[]>(`select count(*)::int as n from privacy_audit where dossier_id = ?`, [dossierId]);
    expect((await app.inject({ method: 'GET', url: `/dossiers/${dossierId}/advice-export`, headers: adviser(other) })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/dossiers/${dossierId}/advice-export/hdn`, headers: adviser(other) })).statusCode).toBe(404);
    const after = await orm.em.fork().execute<{ n: number }[]>(`select count(*)::int as n from privacy_audit where dossier_id = ?`, [dossierId]);
    expect(after[0]!.n).toBe(before[0]!.n);
    expect((await app.inject({ method: 'GET', url: `/dossiers/${newId()}/advice-export`, headers: adviser() })).statusCode).toBe(404);
  });

  it('gives the HDN form: the client parts of an AX that the codec reads back, with the family data', async () => {
    const res = await app.inject({ method: 'GET', url: `/dossiers/${dossierId}/advice-export/hdn`, headers: adviser() });
    expect(res.statusCode, res.body).toBe(200);
    expect(String(res.headers['content-type'])).toContain('application/xml');
    const doc = readHdnClientData(res.body);
    expect(doc.header).toMatchObject({ messageType: 'AX', messageVersion: '24.0', senderNode: 'DFLT01', applicationNumber: dossierNumber });
    expect(doc.applicants).toEqual([
      expect.objectContaining({ position: 1, firstName: 'Anna', birthDate: '1980-04-01', gender: 'female', maritalStatus: 'married_limited_community', postcode: anna.address?.postcode }),
      expect.objectContaining({ position: 2, firstName: 'Bram', birthDate: '1978-09-15' }),
    ]);
    expect(doc.children).toEqual([{ firstName: 'Lotte', lastName: 'Berg', birthDate: '2012-05-05' }]);
    const audited = await orm.em.fork().execute<{ n: number }[]>(`select count(*)::int as n from privacy_audit where dossier_id = ? and jsonb_exists(changes, 'export_hdn')`, [dossierId]);
    expect(audited[0]!.n).toBe(3);
  });
});
