/**
 * The one writer of `person_files` and `person_file_events` (docs/ARCHITECTURE.md, "One writer
 * per table"). Every change of a file's place is written together with its history line, in the
 * caller's transaction, so a move without its audit line (or back) cannot exist.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { newId } from '../../db/ids.js';
import { one, rows } from '../../db/sql.js';
import type { PersonFileEventKind } from '../../domain/person-files/files.js';
import { affectedRows } from '../privacy/scrub-rows.js';

export const ownedTables = ['person_files', 'person_file_events'] as const;

export type PersonFileRow = {
  id: string;
  office_id: string;
  person_id: string;
  upload_id: string | null;
  dossier_id: string | null;
  dossier_number: string | null;
  filename: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  created_by: string;
  created_by_name: string | null;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
  deleted_by: string | null;
};

export type PersonFileEventRow = {
  id: string;
  file_id: string;
  kind: PersonFileEventKind;
  from_dossier_id: string | null;
  from_number: string | null;
  to_dossier_id: string | null;
  to_number: string | null;
  actor: string;
  actor_name: string | null;
  at: Date;
};

const fileSelect = `select f.*, d.number as dossier_number, c.name as created_by_name
  from person_files f
  left join dossiers d on d.id = f.dossier_id
  left join api_credentials c on c.id = f.created_by`;

/** One file of the office (deleted ones too: their history stays readable); `forUpdate` locks it. */
export async function personFileOfOffice(em: EntityManager, officeId: string, fileId: string, forUpdate = false): Promise<PersonFileRow | undefined> {
  return one<PersonFileRow>(em, `${fileSelect} where f.office_id = ? and f.id = ?${forUpdate ? ' for update of f' : ''}`, [officeId, fileId]);
}

/** The person's files that are not deleted, newest first. */
export async function personFilesOfPerson(em: EntityManager, personId: string): Promise<PersonFileRow[]> {
  return rows<PersonFileRow>(em, `${fileSelect} where f.person_id = ? and f.deleted_at is null order by f.created_at desc, f.id`, [personId]);
}

/** The files moved to this dossier (of any of its applicants) that are not deleted, newest first. */
export async function personFilesInDossier(em: EntityManager, dossierId: string): Promise<(PersonFileRow & { person_name: string | null })[]> {
  return rows(
    em,
    `select x.*, concat_ws(' ', p.first_name, p.infix, p.last_name) as person_name
       from (${fileSelect} where f.dossier_id = ? and f.deleted_at is null) x join persons p on p.id = x.person_id
      order by x.updated_at desc, x.id`,
    [dossierId],
  );
}

/** The history lines of these files, oldest first. */
export async function eventsOfFiles(em: EntityManager, fileIds: readonly string[]): Promise<PersonFileEventRow[]> {
  if (fileIds.length === 0) return [];
  return rows<PersonFileEventRow>(
    em,
    `select e.*, fd.number as from_number, td.number as to_number, c.name as actor_name
       from person_file_events e
       left join dossiers fd on fd.id = e.from_dossier_id
       left join dossiers td on td.id = e.to_dossier_id
       left join api_credentials c on c.id = e.actor
      where e.file_id in (${fileIds.map(() => '?').join(', ')}) order by e.at, e.id`,
    [...fileIds],
  );
}

async function insertEvent(tem: EntityManager, e: { fileId: string; kind: PersonFileEventKind; from: string | null; to: string | null; actor: string; at: Date }): Promise<void> {
  await tem.execute('insert into person_file_events (id, file_id, kind, from_dossier_id, to_dossier_id, actor, at) values (?, ?, ?, ?, ?, ?, ?)', [
    newId(),
    e.fileId,
    e.kind,
    e.from,
    e.to,
    e.actor,
    e.at,
  ]);
}

export interface NewPersonFile {
  officeId: string;
  personId: string;
  uploadId: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  createdBy: string;
  at: Date;
}

/**
 * Attaches a completed upload to a person, once per upload: the same upload again answers the
 * file it already is (no second row, no second history line). Returns the file's id and whether
 * it was new; undefined when the upload belongs to another person's file.
 */
export async function insertPersonFile(tem: EntityManager, f: NewPersonFile): Promise<{ id: string; created: boolean } | undefined> {
  const id = newId();
  const inserted = await one<{ id: string }>(
    tem,
    `insert into person_files (id, office_id, person_id, upload_id, filename, content_type, size_bytes, sha256, created_by, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (upload_id) do nothing returning id`,
    [id, f.officeId, f.personId, f.uploadId, f.filename, f.contentType, f.sizeBytes, f.sha256, f.createdBy, f.at, f.at],
  );
  if (inserted) {
    await insertEvent(tem, { fileId: id, kind: 'attached', from: null, to: null, actor: f.createdBy, at: f.at });
    return { id, created: true };
  }
  const existing = await one<{ id: string; person_id: string }>(tem, 'select id, person_id from person_files where upload_id = ?', [f.uploadId]);
  return existing && existing.person_id === f.personId ? { id: existing.id, created: false } : undefined;
}

/** Moves a file (the caller holds its lock and checked the target) and writes the audit line. */
export async function movePersonFile(tem: EntityManager, m: { fileId: string; from: string | null; to: string | null; actor: string; at: Date }): Promise<void> {
  await tem.execute('update person_files set dossier_id = ?, updated_at = ? where id = ?', [m.to, m.at, m.fileId]);
  await insertEvent(tem, { fileId: m.fileId, kind: 'moved', from: m.from, to: m.to, actor: m.actor, at: m.at });
}

/** Marks a file deleted (its upload is deleted by the caller through the uploads store) and writes the audit line. */
export async function markPersonFileDeleted(tem: EntityManager, d: { fileId: string; from: string | null; actor: string; at: Date }): Promise<void> {
  await tem.execute('update person_files set deleted_at = ?, deleted_by = ?, updated_at = ? where id = ?', [d.at, d.actor, d.at, d.fileId]);
  await insertEvent(tem, { fileId: d.fileId, kind: 'deleted', from: d.from, to: null, actor: d.actor, at: d.at });
}

/**
 * Anonymisation (services/privacy/anonymise.ts): the person's files go entirely, with their
 * history (file names are theirs; the uploads holding the bytes are deleted before, by
 * `anonymiseUploadsOf`). Returns the rows deleted.
 */
export async function deletePersonFilesOf(tem: EntityManager, personId: string): Promise<number> {
  return affectedRows(tem, 'delete from person_files where person_id = ?', [personId]);
}
