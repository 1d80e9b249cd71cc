/**
 * The one writer of `uploads` and `upload_chunks` (docs/ARCHITECTURE.md, "One writer per table").
 * A part of the bytes is stored together with the move of `received`, in one transaction and only
 * when `received` is still the offset the part starts at: two requests racing for the same upload
 * cannot both append, and `received` is always the sum of the chunks.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { one, rows } from '../../db/sql.js';
import type { UploadContentType, UploadStatus } from '../../domain/uploads/uploads.js';
import { affectedRows, inList, scrubRows, type DossierScope } from '../privacy/scrub-rows.js';

export const ownedTables = ['uploads', 'upload_chunks'] as const;

export type UploadRow = {
  id: string;
  office_id: string;
  credential_id: string;
  filename: string;
  length: number;
  received: number;
  content_type: UploadContentType | null;
  sha256: string | null;
  status: UploadStatus;
  scan_result: string | null;
  created_at: Date;
  completed_at: Date | null;
  expires_at: Date;
};

export async function insertUpload(
  em: EntityManager,
  u: { id: string; officeId: string; credentialId: string; filename: string; length: number; expiresAt: Date },
): Promise<void> {
  await em.execute(
    `insert into uploads (id, office_id, credential_id, filename, length, received, status, expires_at)
     values (?, ?, ?, ?, ?, 0, 'receiving', ?)`,
    [u.id, u.officeId, u.credentialId, u.filename, u.length, u.expiresAt],
    'run',
  );
}

/** The upload in this office, whatever its creator; undefined when unknown. */
export async function uploadInOffice(em: EntityManager, officeId: string, id: string): Promise<UploadRow | undefined> {
  return one<UploadRow>(em, 'select * from uploads where id = ? and office_id = ?', [id, officeId]);
}

/**
 * Appends `data` at `offset` when the upload is still receiving and has exactly `offset` bytes;
 * the new offset, or undefined when it was not (moved on, completed, gone).
 */
export async function appendChunk(em: EntityManager, uploadId: string, offset: number, data: Buffer): Promise<number | undefined> {
  // Through knex with bound parameters, not em.execute: MikroORM inlines parameters into the SQL
  // text (a 512 KiB chunk would become a 1 MiB hex literal); bound, pg sends the Buffer as binary.
  return em.getKnex().transaction(async (trx) => {
    const moved = await trx.raw<{ rows: { received: number }[] }>(
      `update uploads set received = received + ? where id = ? and received = ? and status = 'receiving' returning received`,
      [data.length, uploadId, offset],
    );
    const received = moved.rows[0]?.received;
    if (received === undefined) return undefined;
    await trx.raw('insert into upload_chunks (upload_id, "offset", data) values (?, ?, ?)', [uploadId, offset, data]);
    return received;
  });
}

/** The offsets and sizes of the chunks, in order (small: no bytes). */
export async function chunkIndex(em: EntityManager, uploadId: string): Promise<{ offset: number; size: number }[]> {
  return rows<{ offset: number; size: number }>(
    em,
    'select "offset", octet_length(data) as size from upload_chunks where upload_id = ? order by "offset"',
    [uploadId],
  );
}

export async function chunkAt(em: EntityManager, uploadId: string, offset: number): Promise<Buffer | undefined> {
  const result = await em.getKnex().raw<{ rows: { data: Buffer }[] }>('select data from upload_chunks where upload_id = ? and "offset" = ?', [uploadId, offset]);
  return result.rows[0]?.data;
}

/** The first `bytes` bytes of the upload, cut in PostgreSQL (only the chunks they lie in are read). */
export async function headBytes(em: EntityManager, uploadId: string, bytes: number): Promise<Buffer> {
  const result = await em.getKnex().raw<{ rows: { head: Buffer | null }[] }>(
    `select substring(string_agg(data, ''::bytea order by "offset") from 1 for ?) as head
       from upload_chunks where upload_id = ? and "offset" < ?`,
    [bytes, uploadId, bytes],
  );
  return result.rows[0]?.head ?? Buffer.alloc(0);
}

/**
 * The sha256 of all the bytes, computed by PostgreSQL: the file never passes through the API's
 * memory for it (PostgreSQL holds it once, for the time of the query).
 */
export async function sha256Of(em: EntityManager, uploadId: string): Promise<string> {
  const row = await one<{ sha256: string }>(
    em,
    `select encode(sha256(coalesce(string_agg(data, ''::bytea order by "offset"), ''::bytea)), 'hex') as sha256 from upload_chunks where upload_id = ?`,
    [uploadId],
  );
  return row!.sha256;
}

export async function setContentType(em: EntityManager, uploadId: string, contentType: UploadContentType): Promise<void> {
  await em.execute('update uploads set content_type = ? where id = ?', [contentType, uploadId], 'run');
}

/** Marks a fully received upload complete; false when it was not receiving with all bytes in. */
export async function markComplete(em: EntityManager, uploadId: string, facts: { sha256: string; contentType: UploadContentType; scanResult: string }): Promise<boolean> {
  const done = await one<{ id: string }>(
    em,
    `update uploads set status = 'complete', sha256 = ?, content_type = ?, scan_result = ?, completed_at = now()
      where id = ? and status = 'receiving' and received = length returning id`,
    [facts.sha256, facts.contentType, facts.scanResult, uploadId],
  );
  return done !== undefined;
}

/** The scanner found something: the bytes go, the row stays to say why. */
export async function markInfected(em: EntityManager, uploadId: string, scanResult: string): Promise<void> {
  await em.transactional(async (tem) => {
    await tem.execute(`update uploads set status = 'infected', scan_result = ? where id = ?`, [scanResult, uploadId], 'run');
    await tem.execute('delete from upload_chunks where upload_id = ?', [uploadId], 'run');
  });
}

/** Removes an upload with its bytes (termination, a refused type); true when it existed. */
export async function deleteUpload(em: EntityManager, uploadId: string): Promise<boolean> {
  const gone = await one<{ id: string }>(em, 'delete from uploads where id = ? returning id', [uploadId]);
  return gone !== undefined;
}

/** Removes uploads past their expiry (with their bytes) that were never completed or never attached to a checklist line or a person; returns how many. */
export async function deleteExpiredUploads(em: EntityManager, now: Date): Promise<number> {
  // A finished upload nobody attached to a checklist line or a person (person_files) is as
  // abandoned as an unfinished one (and may belong to a client since deleted): its bytes go at
  // the same expiry.
  const result = (await em.execute(
    `delete from uploads u where u.expires_at < ?
        and (u.status <> 'complete' or (not exists (select 1 from checklist_item_files f where f.upload_id = u.id)
                                        and not exists (select 1 from person_files pf where pf.upload_id = u.id)))`,
    [now],
    'run',
  )) as { affectedRows?: number };
  return result.affectedRows ?? 0;
}

/**
 * A person's uploads, for anonymisation (services/privacy/anonymise.ts), before their portal
 * sessions end. Mirrors `documents`: every upload attached to a checklist line of a dossier that
 * is only theirs, and every upload they made in the portal themselves, is deleted with its bytes
 * (the line's file history in `checklist_item_files` keeps that a file was there), and so is every
 * file kept with them on their CRM card (`person_files`, wherever it was moved: it is theirs); the
 * file names of uploads on their other dossiers' lines lose their identifiers. Returns the uploads
 * changed.
 */
export async function anonymiseUploadsOf(tem: EntityManager, personId: string, scope: DossierScope, needles: string[]): Promise<number> {
  const sole = inList(scope.sole);
  const all = inList(scope.all);
  const onLinesOf = (dossiers: string) => `select f.upload_id from checklist_item_files f
      join checklist_items i on i.id = f.item_id join checklists c on c.id = i.checklist_id
     where c.dossier_id in ${dossiers}`;
  const deleted = await affectedRows(
    tem,
    `delete from uploads where id in (${onLinesOf(sole.sql)}) or credential_id in (select s.id from portal_sessions s where s.person_id = ?)
        or id in (select pf.upload_id from person_files pf where pf.person_id = ?)`,
    [...sole.params, personId, personId],
  );
  const renamed = await scrubRows(tem, 'uploads', 'id', [{ name: 'filename', kind: 'text', notNull: true }], { sql: `id in (${onLinesOf(all.sql)})`, params: all.params }, needles);
  return deleted + renamed;
}
