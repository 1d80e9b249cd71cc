/**
 * Person files (*bestanden* on the CRM card, issue 19 deliverable 4) over the API, against the
 * real PostgreSQL and the real upload engine (tus): a file attached to a person without any
 * dossier, listed and downloaded (streamed, the same bytes), moved to the person's dossier and on
 * to their second one (each move a history line: who, when, from, to), shown on the dossier it
 * is in; a move to a dossier where the person is no applicant is refused 422 and changes nothing;
 * another office sees none of it (404) and cannot move a file to its dossiers; deleting removes
 * the bytes (the upload) and keeps an audit line; a person with files is not deleted unseen.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import type { MikroORM } from '../../db/orm.js';
import { bearer, createTestOffice, ensureShippedProcesses, openOrm, temporalStub, uniquePerson, type TestOffice } from './support.js';

let orm: MikroORM;
let app: FastifyInstance;
let office: TestOffice;
let otherOffice: TestOffice;

beforeAll(async () => {
  orm = await openOrm();
  await ensureShippedProcesses(orm);
  office = await createTestOffice(orm, 'Bestandenkantoor');
  otherOffice = await createTestOffice(orm, 'Anderkantoor');
  app = buildApp({ orm, temporal: temporalStub() });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await orm?.close(true);
});

const adviser = (o: TestOffice = office) => bearer(o.tokens.adviser);

/** A PDF (real header, padding) of `size` bytes, different per `fill`. */
function pdf(size: number, fill = 0x20): Buffer {
  const bytes = Buffer.alloc(size, fill);
  Buffer.from('%PDF-1.7\n', 'latin1').copy(bytes);
  return bytes;
}

/** A completed tus upload with this token; its id. */
async function upload(token: string, bytes: Buffer, filename: string): Promise<string> {
  const tus = { ...bearer(token), 'tus-resumable': '1.0.0' };
  const created = await app.inject({
    method: 'POST',
    url: '/uploads',
    headers: { ...tus, 'upload-length': String(bytes.length), 'upload-metadata': `filename ${Buffer.from(filename).toString('base64')}` },
  });
  expect(created.statusCode, created.body).toBe(201);
  const location = created.headers.location as string;
  const patched = await app.inject({ method: 'PATCH', url: location, headers: { ...tus, 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' }, payload: bytes });
  expect(patched.statusCode, patched.body).toBe(204);
  return location.split('/').pop()!;
}

async function newPerson(o: TestOffice = office): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/persons', headers: adviser(o), payload: { ...uniquePerson(), allowDuplicate: true } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

async function newDossierOf(personId: string, o: TestOffice = office): Promise<{ id: string; number: string }> {
  const res = await app.inject({ method: 'POST', url: `/persons/${personId}/dossiers`, headers: adviser(o), payload: {} });
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.json().id, number: res.json().number };
}

type FileJson = {
  id: string;
  filename: string;
  sizeBytes: number;
  dossier: { id: string; number: string | null } | null;
  href: string;
  createdBy: { name: string | null };
  history: { kind: string; from: { id: string; number: string | null } | null; to: { id: string; number: string | null } | null; by: { credentialId: string; name: string | null }; at: string }[];
};

async function filesOf(personId: string, o: TestOffice = office): Promise<FileJson[]> {
  const res = await app.inject({ method: 'GET', url: `/persons/${personId}/files`, headers: adviser(o) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items as FileJson[];
}

async function dossierFiles(dossierId: string): Promise<FileJson[]> {
  const res = await app.inject({ method: 'GET', url: `/dossiers/${dossierId}/person-files`, headers: adviser() });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items as FileJson[];
}

const move = (personId: string, fileId: string, dossierId: string | null, o: TestOffice = office) =>
  app.inject({ method: 'POST', url: `/persons/${personId}/files/${fileId}/move`, headers: adviser(o), payload: { dossierId } });

describe('person files', () => {
  it('attaches an upload to a person without a dossier, lists it with its history and streams the same bytes back', async () => {
    const personId = await newPerson();
    const bytes = pdf(700_000, 0x41);
    const uploadId = await upload(office.tokens.adviser, bytes, 'kopie paspoort.pdf');
    const attached = await app.inject({ method: 'POST', url: `/persons/${personId}/files`, headers: adviser(), payload: { uploadId } });
    expect(attached.statusCode, attached.body).toBe(201);
    expect(attached.json()).toMatchObject({ filename: 'kopie paspoort.pdf', contentType: 'application/pdf', sizeBytes: 700_000, dossier: null, createdBy: { name: 'test adviser' } });
    expect(attached.json().history).toEqual([{ kind: 'attached', from: null, to: null, by: { credentialId: office.credentialIds.adviser, name: 'test adviser' }, at: expect.any(String) }]);

    // The same upload again is the same file: no second row, no second history line.
    const again = await app.inject({ method: 'POST', url: `/persons/${personId}/files`, headers: adviser(), payload: { uploadId } });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().id).toBe(attached.json().id);
    const listed = await filesOf(personId);
    expect(listed.map((f) => f.id)).toEqual([attached.json().id]);
    expect(listed[0]!.history).toHaveLength(1);

    // The same upload on another person's card is refused.
    const elsewhere = await app.inject({ method: 'POST', url: `/persons/${await newPerson()}/files`, headers: adviser(), payload: { uploadId } });
    expect(elsewhere.statusCode, elsewhere.body).toBe(409);

    const download = await app.inject({ method: 'GET', url: listed[0]!.href, headers: adviser() });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toContain('filename="kopie paspoort.pdf"');
    expect(download.headers['content-length']).toBe('700000');
    expect(download.rawPayload.equals(bytes)).toBe(true);
  });

  it("moves a file to the person's dossier and on to their second one, each move audited and visible on the dossier it is in", async () => {
    const personId = await newPerson();
    const first = await newDossierOf(personId);
    const second = await newDossierOf(personId);
    const uploadId = await upload(office.tokens.adviser, pdf(10_000), 'loonstrook.pdf');
    const fileId = (await app.inject({ method: 'POST', url: `/persons/${personId}/files`, headers: adviser(), payload: { uploadId } })).json().id as string;

    const moved = await move(personId, fileId, first.id);
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().dossier).toEqual({ id: first.id, number: first.number });
    expect((await dossierFiles(first.id)).map((f) => f.id)).toEqual([fileId]);

    // Moving it where it is changes nothing (no history line).
    expect((await move(personId, fileId, first.id)).json().history).toHaveLength(2);

    const onward = await move(personId, fileId, second.id);
    expect(onward.statusCode, onward.body).toBe(200);
    expect(await dossierFiles(first.id)).toEqual([]);
    expect((await dossierFiles(second.id)).map((f) => f.id)).toEqual([fileId]);
    const history = onward.json().history as FileJson['history'];
    expect(history.map((h) => [h.kind, h.from?.number ?? null, h.to?.number ?? null, h.by.name])).toEqual([
      ['attached', null, null, 'test adviser'],
      ['moved', null, first.number, 'test adviser'],
      ['moved', first.number, second.number, 'test adviser'],
    ]);
    expect(history.every((h) => !Number.isNaN(Date.parse(h.at)))).toBe(true);

    // Back to the card only.
    const back = await move(personId, fileId, null);
    expect(back.json()).toMatchObject({ dossier: null });
    expect(back.json().history.at(-1)).toMatchObject({ kind: 'moved', from: { id: second.id }, to: null });
    expect(await dossierFiles(second.id)).toEqual([]);
  });

  it("refuses a move to a dossier where the person is no applicant (422) and one of another office (404), changing nothing", async () => {
    const personId = await newPerson();
    const own = await newDossierOf(personId);
    const someoneElse = await newDossierOf(await newPerson());
    const foreign = await newDossierOf(await newPerson(otherOffice), otherOffice);
    const uploadId = await upload(office.tokens.adviser, pdf(5_000), 'id.pdf');
    const fileId = (await app.inject({ method: 'POST', url: `/persons/${personId}/files`, headers: adviser(), payload: { uploadId } })).json().id as string;
    expect((await move(personId, fileId, own.id)).statusCode).toBe(200);

    const notApplicant = await move(personId, fileId, someoneElse.id);
    expect(notApplicant.statusCode, notApplicant.body).toBe(422);
    expect(notApplicant.headers['content-type']).toContain('application/problem+json');
    expect(notApplicant.json().type).toContain('not-an-applicant');
    const otherOffices = await move(personId, fileId, foreign.id);
    expect(otherOffices.statusCode, otherOffices.body).toBe(404);
    expect((await move(personId, fileId, 'not-a-uuid')).statusCode).toBe(400);

    const [file] = await filesOf(personId);
    expect(file!.dossier?.id).toBe(own.id);
    expect(file!.history.map((h) => h.kind)).toEqual(['attached', 'moved']);
    expect(await dossierFiles(someoneElse.id)).toEqual([]);
  });

  it("keeps another office out: its adviser gets 404 for the person's files, a file, its bytes, a move and a delete", async () => {
    const personId = await newPerson();
    const uploadId = await upload(office.tokens.adviser, pdf(5_000), 'geheim.pdf');
    const fileId = (await app.inject({ method: 'POST', url: `/persons/${personId}/files`, headers: adviser(), payload: { uploadId } })).json().id as string;
    const dossier = await newDossierOf(personId);
    const them = adviser(otherOffice);
    expect((await app.inject({ method: 'GET', url: `/persons/${personId}/files`, headers: them })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/persons/${personId}/files/${fileId}/content`, headers: them })).statusCode).toBe(404);
    expect((await move(personId, fileId, dossier.id, otherOffice)).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: `/persons/${personId}/files/${fileId}`, headers: them })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/dossiers/${dossier.id}/person-files`, headers: them })).statusCode).toBe(404);
    // Their own person cannot take our upload, nor ours theirs.
    const theirPerson = await newPerson(otherOffice);
    expect((await app.inject({ method: 'POST', url: `/persons/${theirPerson}/files`, headers: them, payload: { uploadId } })).statusCode).toBe(404);
    const theirUpload = await upload(otherOffice.tokens.adviser, pdf(5_000), 'hunne.pdf');
    expect((await app.inject({ method: 'POST', url: `/persons/${personId}/files`, headers: adviser(), payload: { uploadId: theirUpload } })).statusCode).toBe(404);
    // A file id of another person of the same office through this person's path is not found either.
    const stranger = await newPerson();
    expect((await app.inject({ method: 'GET', url: `/persons/${stranger}/files/${fileId}/content`, headers: adviser() })).statusCode).toBe(404);
    expect((await filesOf(personId)).map((f) => f.id)).toEqual([fileId]);
  });

  it('deletes a file: its bytes go with the upload, the list no longer shows it, the audit line says who and when', async () => {
    const personId = await newPerson();
    const dossier = await newDossierOf(personId);
    const uploadId = await upload(office.tokens.adviser, pdf(5_000), 'weg.pdf');
    const fileId = (await app.inject({ method: 'POST', url: `/persons/${personId}/files`, headers: adviser(), payload: { uploadId } })).json().id as string;
    expect((await move(personId, fileId, dossier.id)).statusCode).toBe(200);
    const deleted = await app.inject({ method: 'DELETE', url: `/persons/${personId}/files/${fileId}`, headers: adviser() });
    expect(deleted.statusCode, deleted.body).toBe(204);
    expect((await app.inject({ method: 'DELETE', url: `/persons/${personId}/files/${fileId}`, headers: adviser() })).statusCode).toBe(204);
    expect(await filesOf(personId)).toEqual([]);
    expect(await dossierFiles(dossier.id)).toEqual([]);
    expect((await app.inject({ method: 'GET', url: `/persons/${personId}/files/${fileId}/content`, headers: adviser() })).statusCode).toBe(409);
    expect((await move(personId, fileId, null)).statusCode).toBe(409);

    const em = orm.em.fork();
    expect(await em.execute('select id from uploads where id = ?', [uploadId])).toEqual([]);
    expect(await em.execute('select count(*)::int as n from upload_chunks where upload_id = ?', [uploadId])).toEqual([{ n: 0 }]);
    const audit = await em.execute<{ kind: string; from_dossier_id: string | null; actor: string }[]>(
      'select kind, from_dossier_id, actor from person_file_events where file_id = ? order by at, id',
      [fileId],
    );
    expect(audit.map((a) => a.kind)).toEqual(['attached', 'moved', 'deleted']);
    expect(audit[2]).toMatchObject({ from_dossier_id: dossier.id, actor: office.credentialIds.adviser });
  });

  it("keeps a person file's bytes past the upload's expiry, while an unattached finished upload is cleaned up", async () => {
    const personId = await newPerson();
    const bytes = pdf(6_000, 0x42);
    const kept = await upload(office.tokens.adviser, bytes, 'blijft.pdf');
    const fileId = (await app.inject({ method: 'POST', url: `/persons/${personId}/files`, headers: adviser(), payload: { uploadId: kept } })).json().id as string;
    const abandoned = await upload(office.tokens.adviser, pdf(6_000), 'vergeten.pdf');
    const em = orm.em.fork();
    await em.execute(`update uploads set expires_at = now() - interval '1 day' where id in (?, ?)`, [kept, abandoned]);
    // A new upload runs the cleanup of expired ones (services/uploads/receive.ts).
    await upload(office.tokens.adviser, pdf(1_000), 'nieuw.pdf');
    expect(await em.execute('select id from uploads where id = ?', [abandoned])).toEqual([]);
    const download = await app.inject({ method: 'GET', url: `/persons/${personId}/files/${fileId}/content`, headers: adviser() });
    expect(download.statusCode, download.body).toBe(200);
    expect(download.rawPayload.equals(bytes)).toBe(true);
  });

  it('keeps a person with files from being deleted unseen (409 naming them); once the files are deleted the person can go', async () => {
    const personId = await newPerson();
    const uploadId = await upload(office.tokens.adviser, pdf(5_000), 'bewaren.pdf');
    const fileId = (await app.inject({ method: 'POST', url: `/persons/${personId}/files`, headers: adviser(), payload: { uploadId } })).json().id as string;
    const refused = await app.inject({ method: 'DELETE', url: `/persons/${personId}`, headers: bearer(office.tokens.admin) });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().linked).toEqual({ personFiles: 1 });
    expect((await app.inject({ method: 'DELETE', url: `/persons/${personId}/files/${fileId}`, headers: adviser() })).statusCode).toBe(204);
    const gone = await app.inject({ method: 'DELETE', url: `/persons/${personId}`, headers: bearer(office.tokens.admin) });
    expect(gone.statusCode, gone.body).toBeLessThan(300);
    expect(await orm.em.fork().execute('select id from person_files where id = ?', [fileId])).toEqual([]);
  });
});
