/**
 * Uploads over tus against the real PostgreSQL and the API listening on a real port (the bytes
 * stream over real sockets): the 25 MB limit to the byte (accepted at 26,214,400; 413 and no row
 * at 26,214,401), types sniffed from the content (text and a zip that is not DOCX refused with
 * 415 and nothing left; a real DOCX accepted), a PATCH cut off mid-body resumed from the offset
 * HEAD reports (sha256 of the whole), the offset rule (409), bytes past the length (413), another
 * credential's upload (404), termination, the EICAR test file through the clamd peer (infected,
 * 422, bytes deleted), no scanner → one log line, and the tus-js-client library end to end.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import JSZip from 'jszip';
import * as tus from 'tus-js-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import type { MikroORM } from '../../db/orm.js';
import { issueCredential } from '../../services/access/store.js';
import { completedUploadOf, MAX_FILE_BYTES, readUploadChunks, uploadBytes } from '../../services/uploads/files.js';
import { EICAR, startClamdPeer, type ClamdPeer } from '../../simulators/clamd/index.js';
import { bearer, createTestOffice, openOrm, temporalStub, type TestOffice } from './support.js';

let orm: MikroORM;
let office: TestOffice;
let app: FastifyInstance;
let base: string;
let scanned: FastifyInstance;
let scannedBase: string;
let clamd: ClamdPeer;
const logLines: Record<string, unknown>[] = [];

async function listen(a: FastifyInstance): Promise<string> {
  await a.listen({ port: 0, host: '127.0.0.1' });
  const { port } = a.server.address() as net.AddressInfo;
  return `http://127.0.0.1:${port}`;
}

beforeAll(async () => {
  orm = await openOrm();
  office = await createTestOffice(orm, 'Uploadkantoor');
  const logStream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  app = buildApp({ orm, temporal: temporalStub(), logger: { level: 'info', stream: logStream } });
  base = await listen(app);
  clamd = await startClamdPeer();
  scanned = buildApp({ orm, temporal: temporalStub(), uploads: { clamdAddress: clamd.address, flushBytes: 64 * 1024 } });
  scannedBase = await listen(scanned);
});

/** Closes an app without waiting for the keep-alive sockets of the clients to time out. */
async function close(a: FastifyInstance | undefined): Promise<void> {
  if (!a) return;
  const closing = a.close();
  a.server.closeAllConnections();
  await closing;
}

afterAll(async () => {
  await close(app);
  await close(scanned);
  await clamd?.stop();
  await orm?.close(true);
});

const tusHeaders = (token = office.tokens.adviser) => ({ ...bearer(token), 'tus-resumable': '1.0.0' });
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** A PDF of exactly `size` bytes: a real header, then padding. */
function pdfOf(size: number, fill = 0x20): Buffer {
  const bytes = Buffer.alloc(size, fill);
  Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1').copy(bytes);
  return bytes;
}
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function create(a: FastifyInstance, length: number, filename = 'loonstrook.pdf', token = office.tokens.adviser) {
  return a.inject({ method: 'POST', url: '/uploads', headers: { ...tusHeaders(token), 'upload-length': String(length), 'upload-metadata': `filename ${b64(filename)}` } });
}

/** A PATCH over a real socket. */
function patch(url: string, offset: number, body: Buffer, token = office.tokens.adviser): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'PATCH',
      headers: { ...tusHeaders(token), 'content-type': 'application/offset+octet-stream', 'upload-offset': String(offset), 'content-length': String(body.length) },
    });
    req.on('response', (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function uploadRow(id: string) {
  const rows = await orm.em.fork().execute<{ status: string; received: number; content_type: string | null; scan_result: string | null }[]>(
    'select status, received, content_type, scan_result from uploads where id = ?',
    [id],
  );
  return rows[0];
}
async function chunkCount(id: string): Promise<number> {
  const rows = await orm.em.fork().execute<{ n: number }[]>('select count(*)::int as n from upload_chunks where upload_id = ?', [id]);
  return rows[0]!.n;
}
const principal = () => ({ credentialId: office.credentialIds.adviser, officeId: office.officeId, role: 'adviser' as const });

describe('tus discovery and creation', () => {
  it('OPTIONS names the version, extensions and the 25 MB maximum', async () => {
    const res = await app.inject({ method: 'OPTIONS', url: '/uploads' });
    expect(res.statusCode).toBe(204);
    expect(res.headers['tus-version']).toBe('1.0.0');
    expect(res.headers['tus-extension']).toBe('creation,termination');
    expect(res.headers['tus-max-size']).toBe(String(MAX_FILE_BYTES));
  });

  it('refuses 25 MB + 1 byte with 413 problem+json and stores nothing', async () => {
    const before = await orm.em.fork().execute<{ n: number }[]>('select count(*)::int as n from uploads where office_id = ?', [office.officeId]);
    const res = await create(app, MAX_FILE_BYTES + 1);
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['tus-resumable']).toBe('1.0.0');
    expect(res.json()).toMatchObject({ status: 413, type: expect.stringContaining('upload-too-large') });
    const after = await orm.em.fork().execute<{ n: number }[]>('select count(*)::int as n from uploads where office_id = ?', [office.officeId]);
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('refuses another tus version with 412', async () => {
    const res = await app.inject({ method: 'POST', url: '/uploads', headers: { ...bearer(office.tokens.adviser), 'tus-resumable': '0.2.2', 'upload-length': '10' } });
    expect(res.statusCode).toBe(412);
    expect(res.headers['tus-version']).toBe('1.0.0');
  });
});

describe('the bytes', () => {
  it('accepts exactly 25 MB (26,214,400 bytes) streamed in one PATCH, with its sha256', async () => {
    const file = pdfOf(MAX_FILE_BYTES);
    const created = await create(app, file.length);
    expect(created.statusCode, created.body).toBe(201);
    const location = created.headers.location as string;
    expect(location).toMatch(/^\/uploads\/[0-9a-f-]{36}$/);
    const res = await patch(base + location, 0, file);
    expect(res.status, res.body).toBe(204);
    expect(res.headers['upload-offset']).toBe(String(MAX_FILE_BYTES));
    const id = location.split('/').pop()!;
    const done = await completedUploadOf(orm.em.fork(), principal(), id);
    expect(done).toMatchObject({ id, officeId: office.officeId, filename: 'loonstrook.pdf', contentType: 'application/pdf', sizeBytes: MAX_FILE_BYTES, sha256: sha256(file) });
    // Stored in parts (streamed), not as one value.
    expect(await chunkCount(id)).toBeGreaterThan(10);
    // Not scanned here (no CLAMD_ADDRESS): one log line says so.
    expect(logLines.filter((l) => l.uploadId === id && String(l.msg).includes('not scanned'))).toHaveLength(1);
    expect((await uploadRow(id))?.scan_result).toMatch(/not scanned/);
  });

  it('refuses bytes past the declared length (413) and keeps the offset', async () => {
    const created = await create(app, 5000);
    const location = created.headers.location as string;
    const res = await patch(base + location, 0, pdfOf(5001));
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const head = await app.inject({ method: 'HEAD', url: location, headers: tusHeaders() });
    expect(head.headers['upload-offset']).toBe('0');
  });

  it('refuses a PATCH at another offset than the stored one (409)', async () => {
    const created = await create(app, 10_000);
    const location = created.headers.location as string;
    expect((await patch(base + location, 0, pdfOf(6000).subarray(0, 6000))).status).toBe(204);
    const res = await patch(base + location, 100, Buffer.alloc(100));
    expect(res.status).toBe(409);
    expect(JSON.parse(res.body)).toMatchObject({ offset: 6000 });
  });

  it.each([
    ['plain text', Buffer.from('Dit is geen document maar platte tekst.\n'.repeat(200)), 'text'],
    ['an executable', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(5000, 0x90)]), 'exe'],
  ])('refuses %s by its content with 415 and leaves nothing', async (_what, bytes) => {
    const created = await create(app, bytes.length, 'loonstrook.pdf');
    const location = created.headers.location as string;
    const id = location.split('/').pop()!;
    const res = await patch(base + location, 0, bytes);
    expect(res.status, res.body).toBe(415);
    expect(JSON.parse(res.body)).toMatchObject({ type: expect.stringContaining('upload-type-not-allowed') });
    expect(await uploadRow(id)).toBeUndefined();
    expect(await chunkCount(id)).toBe(0);
  });

  it('refuses a zip that is not a DOCX at its last byte (415, nothing left), accepts a real DOCX', async () => {
    const zip = new JSZip();
    zip.file('notes.txt', 'geen word-document');
    zip.file('data.bin', Buffer.alloc(200_000, 7));
    const notDocx = await zip.generateAsync({ type: 'nodebuffer' });
    const created = await create(app, notDocx.length, 'brief.docx');
    const location = created.headers.location as string;
    const id = location.split('/').pop()!;
    const res = await patch(base + location, 0, notDocx);
    expect(res.status, res.body).toBe(415);
    expect(await uploadRow(id)).toBeUndefined();

    const docx = new JSZip();
    docx.file(
      '[Content_Types].xml',
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    );
    docx.file('_rels/.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>');
    docx.file('word/document.xml', `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>${'werkgeversverklaring '.repeat(20000)}</w:t></w:r></w:p></w:body></w:document>`);
    const docxBytes = await docx.generateAsync({ type: 'nodebuffer' });
    const created2 = await create(app, docxBytes.length, 'werkgeversverklaring.docx');
    const location2 = created2.headers.location as string;
    const res2 = await patch(base + location2, 0, docxBytes);
    expect(res2.status, res2.body).toBe(204);
    const done = await completedUploadOf(orm.em.fork(), principal(), location2.split('/').pop()!);
    expect(done.contentType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  });

  it('resumes a PATCH cut off mid-body from the offset HEAD reports; the whole has the right sha256', async () => {
    const file = pdfOf(3 * 1024 * 1024, 0x41);
    for (let i = 64; i < file.length; i += 997) file[i] = i % 251; // not all the same byte, so order matters
    const created = await create(app, file.length, 'afschrift.pdf');
    const location = created.headers.location as string;
    const id = location.split('/').pop()!;
    const { port } = new URL(base);
    const sent = 1_300_000;
    const socket = net.connect(Number(port), '127.0.0.1');
    await new Promise<void>((r) => socket.once('connect', () => r()));
    socket.write(
      `PATCH ${location} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${office.tokens.adviser}\r\nTus-Resumable: 1.0.0\r\n` +
        `Content-Type: application/offset+octet-stream\r\nUpload-Offset: 0\r\nContent-Length: ${file.length}\r\n\r\n`,
    );
    await new Promise<void>((r) => socket.write(file.subarray(0, sent), () => r()));
    await new Promise((r) => setTimeout(r, 400));
    socket.destroy();

    let offset = -1;
    for (let i = 0; i < 50 && offset !== sent; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const head = await app.inject({ method: 'HEAD', url: location, headers: tusHeaders() });
      expect(head.statusCode).toBe(200);
      expect(head.headers['upload-length']).toBe(String(file.length));
      offset = Number(head.headers['upload-offset']);
    }
    expect(offset).toBe(sent);
    expect((await uploadRow(id))?.status).toBe('receiving');
    await expect(completedUploadOf(orm.em.fork(), principal(), id)).rejects.toMatchObject({ kind: 'conflict', slug: 'upload-not-complete' });

    const rest = await patch(base + location, offset, file.subarray(offset));
    expect(rest.status, rest.body).toBe(204);
    const done = await completedUploadOf(orm.em.fork(), principal(), id);
    expect(done.sha256).toBe(sha256(file));
    expect((await uploadBytes(orm.em.fork(), id)).equals(file)).toBe(true);
    let biggest = 0;
    for await (const part of readUploadChunks(orm.em.fork(), id)) biggest = Math.max(biggest, part.length);
    expect(biggest).toBeLessThanOrEqual(1024 * 1024);
  });

  it("does not show or take another credential's upload (404), and DELETE removes it with its bytes", async () => {
    const other = await issueCredential(orm.em.fork(), { officeId: office.officeId, name: 'andere adviseur', role: 'adviser' });
    const created = await create(app, 10_000);
    const location = created.headers.location as string;
    const id = location.split('/').pop()!;
    expect((await patch(base + location, 0, pdfOf(8000))).status).toBe(204);
    expect((await app.inject({ method: 'HEAD', url: location, headers: tusHeaders(other.token) })).statusCode).toBe(404);
    expect((await patch(base + location, 8000, Buffer.alloc(10), other.token)).status).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: location, headers: tusHeaders(other.token) })).statusCode).toBe(404);
    await expect(completedUploadOf(orm.em.fork(), { ...principal(), credentialId: other.id }, id)).rejects.toMatchObject({ kind: 'not-found' });
    expect(await chunkCount(id)).toBeGreaterThan(0);

    const del = await app.inject({ method: 'DELETE', url: location, headers: tusHeaders() });
    expect(del.statusCode).toBe(204);
    expect(await uploadRow(id)).toBeUndefined();
    expect(await chunkCount(id)).toBe(0);
    expect((await app.inject({ method: 'HEAD', url: location, headers: tusHeaders() })).statusCode).toBe(404);
  });
});

describe('abandoned uploads', () => {
  it('removes an upload not completed before it expires (404, bytes gone)', async () => {
    const created = await create(app, 10_000);
    const location = created.headers.location as string;
    const id = location.split('/').pop()!;
    expect((await patch(base + location, 0, pdfOf(6000))).status).toBe(204);
    await orm.em.fork().execute(`update uploads set expires_at = now() - interval '1 minute' where id = ?`, [id]);
    const head = await app.inject({ method: 'HEAD', url: location, headers: tusHeaders() });
    expect(head.statusCode).toBe(404);
    expect(await uploadRow(id)).toBeUndefined();
    expect(await chunkCount(id)).toBe(0);
  });
});

describe('the virus scan (clamd peer over INSTREAM)', () => {
  it('completes a clean file with the scanner verdict', async () => {
    const file = pdfOf(300_000);
    const created = await create(scanned, file.length);
    const location = created.headers.location as string;
    const res = await patch(scannedBase + location, 0, file);
    expect(res.status, res.body).toBe(204);
    expect((await uploadRow(location.split('/').pop()!))?.scan_result).toBe('stream: OK');
  });

  it('refuses the EICAR test file: 422, status infected, bytes deleted', async () => {
    const file = pdfOf(400_000);
    Buffer.from(EICAR, 'latin1').copy(file, 200_000 - 20); // across a chunk boundary of 64 KiB multiples
    const created = await create(scanned, file.length, 'besmet.pdf');
    const location = created.headers.location as string;
    const id = location.split('/').pop()!;
    const res = await patch(scannedBase + location, 0, file);
    expect(res.status, res.body).toBe(422);
    expect(JSON.parse(res.body)).toMatchObject({ type: expect.stringContaining('upload-infected'), scanResult: 'stream: Eicar-Test-Signature FOUND' });
    expect(await uploadRow(id)).toMatchObject({ status: 'infected' });
    expect(await chunkCount(id)).toBe(0);
    await expect(completedUploadOf(orm.em.fork(), principal(), id)).rejects.toMatchObject({ slug: 'upload-infected' });
  });
});

describe('refusals of the PATCH itself', () => {
  it('refuses another content type than application/offset+octet-stream (415) and stores nothing', async () => {
    const created = await create(app, 100);
    const location = created.headers.location as string;
    const res = await app.inject({ method: 'PATCH', url: location, headers: { ...tusHeaders(), 'content-type': 'application/json', 'upload-offset': '0' }, payload: { a: 1 } });
    expect(res.statusCode).toBe(415);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['tus-resumable']).toBe('1.0.0');
    expect((await uploadRow(location.split('/').pop()!))?.received).toBe(0);
  });

  it('keeps all bytes when the scanner does not answer (503); an empty PATCH at the last offset completes it later', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const { port } = server.address() as net.AddressInfo;
    await new Promise<void>((r) => server.close(() => r()));
    const noScanner = buildApp({ orm, temporal: temporalStub(), uploads: { clamdAddress: `127.0.0.1:${port}` } });
    const noScannerBase = await listen(noScanner);
    try {
      const file = pdfOf(100_000);
      const created = await create(noScanner, file.length);
      const location = created.headers.location as string;
      const id = location.split('/').pop()!;
      const res = await patch(noScannerBase + location, 0, file);
      expect(res.status, res.body).toBe(503);
      expect(await uploadRow(id)).toMatchObject({ status: 'receiving', received: file.length });
      const retry = await patch(scannedBase + location, file.length, Buffer.alloc(0));
      expect(retry.status, retry.body).toBe(204);
      expect(await uploadRow(id)).toMatchObject({ status: 'complete', scan_result: 'stream: OK' });
    } finally {
      await close(noScanner);
    }
  });
});

describe('a real tus client', () => {
  it('tus-js-client uploads a file in 1 MB chunks to a complete upload', async () => {
    const file = pdfOf(2_500_000, 0x42);
    const url = await new Promise<string>((resolve, reject) => {
      const upload = new tus.Upload(file, {
        endpoint: `${base}/uploads`,
        headers: bearer(office.tokens.adviser),
        chunkSize: 1024 * 1024,
        metadata: { filename: 'salarisstrook.pdf' },
        retryDelays: [],
        onError: reject,
        onSuccess: () => resolve(upload.url ?? ''),
      });
      upload.start();
    });
    const id = url.split('/').pop()!;
    const done = await completedUploadOf(orm.em.fork(), principal(), id);
    expect(done).toMatchObject({ filename: 'salarisstrook.pdf', sizeBytes: file.length, sha256: sha256(file), contentType: 'application/pdf' });
  });
});
