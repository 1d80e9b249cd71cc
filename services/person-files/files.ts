/**
 * Person files (*bestanden*, seed 002): the adviser keeps a file with a person before any
 * dossier exists (a copy of an ID, say) and later moves it to one of the person's dossiers, or
 * between them, or back to the card. The bytes stay in the upload engine (services/uploads: tus,
 * sniffed type, virus scan): a file here is a completed upload attached to a person. Every
 * attach, move and delete is a history line (who, when, from, to) written with the change.
 * Scoped to the caller's office: another office's person, file or dossier is not found.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { refuse } from '../../domain/errors.js';
import { moveVerdict } from '../../domain/person-files/files.js';
import type { Principal } from '../../domain/roles.js';
import { isoInstant, looksLikeUuid, rows } from '../../db/sql.js';
import { requirePersonRow, whilePersonExists } from '../crm/card.js';
import { isAnonymised } from '../crm/store.js';
import { requireDossier } from '../dossiers/dossiers.js';
import { completedUploadInOffice, completedUploadOf, readUploadChunks } from '../uploads/files.js';
import { deleteUpload } from '../uploads/store.js';
import type { PersonFile, PersonFileEvent } from './schemas.js';
import {
  eventsOfFiles,
  insertPersonFile,
  markPersonFileDeleted,
  movePersonFile as storeMove,
  personFileOfOffice,
  personFilesInDossier,
  personFilesOfPerson,
  type PersonFileEventRow,
  type PersonFileRow,
} from './store.js';

const ref = (id: string | null, number: string | null) => (id === null ? null : { id, number });

function eventView(e: PersonFileEventRow): PersonFileEvent {
  return {
    kind: e.kind,
    from: ref(e.from_dossier_id, e.from_number),
    to: ref(e.to_dossier_id, e.to_number),
    by: { credentialId: e.actor, name: e.actor_name },
    at: isoInstant(e.at) ?? '',
  };
}

async function withHistory(em: EntityManager, found: (PersonFileRow & { person_name?: string | null })[]): Promise<PersonFile[]> {
  const events = await eventsOfFiles(em, found.map((f) => f.id));
  return found.map((f) => ({
    id: f.id,
    personId: f.person_id,
    ...(f.person_name ? { personName: f.person_name } : {}),
    filename: f.filename,
    contentType: f.content_type,
    sizeBytes: Number(f.size_bytes),
    sha256: f.sha256,
    dossier: ref(f.dossier_id, f.dossier_number),
    createdBy: { credentialId: f.created_by, name: f.created_by_name },
    createdAt: isoInstant(f.created_at) ?? '',
    updatedAt: isoInstant(f.updated_at) ?? '',
    href: `/persons/${f.person_id}/files/${f.id}/content`,
    history: events.filter((e) => e.file_id === f.id).map(eventView),
  }));
}

/** The file of this person in the office, or 404 (another office's, another person's, unknown). */
async function fileOf(em: EntityManager, officeId: string, personId: string, fileId: string, forUpdate = false): Promise<PersonFileRow> {
  const f = looksLikeUuid(fileId) ? await personFileOfOffice(em, officeId, fileId, forUpdate) : undefined;
  if (!f || f.person_id !== personId) throw refuse.notFound('File', fileId);
  return f;
}

async function oneFile(em: EntityManager, officeId: string, personId: string, fileId: string): Promise<PersonFile> {
  const [file] = await withHistory(em, [await fileOf(em, officeId, personId, fileId)]);
  return file!;
}

export async function listPersonFiles(em: EntityManager, officeId: string, personId: string): Promise<PersonFile[]> {
  await requirePersonRow(em, officeId, personId);
  return withHistory(em, await personFilesOfPerson(em, personId));
}

/** The files moved to this dossier (of any applicant), for the dossier page. */
export async function dossierPersonFiles(em: EntityManager, officeId: string, dossierId: string): Promise<PersonFile[]> {
  await requireDossier(em, officeId, dossierId);
  return withHistory(em, await personFilesInDossier(em, dossierId));
}

/**
 * Attaches a completed upload of this caller to the person's card. The same upload again is the
 * same file (200 instead of 201); an upload already attached to another person is refused 409.
 */
export async function attachPersonFile(em: EntityManager, principal: Principal, personId: string, uploadId: string, now: Date): Promise<{ file: PersonFile; created: boolean }> {
  const person = await requirePersonRow(em, principal.officeId, personId);
  if (isAnonymised(person)) throw refuse.conflict('person-anonymised', `Person ${personId} is anonymised: no files can be added`);
  const upload = await completedUploadOf(em, principal, uploadId);
  const attached = await whilePersonExists(personId, () =>
    em.transactional((tem) =>
      insertPersonFile(tem, {
        officeId: principal.officeId,
        personId,
        uploadId: upload.id,
        filename: upload.filename,
        contentType: upload.contentType,
        sizeBytes: upload.sizeBytes,
        sha256: upload.sha256,
        createdBy: principal.credentialId,
        at: now,
      }),
    ),
  );
  if (!attached) throw refuse.conflict('upload-attached-elsewhere', `Upload ${uploadId} is a file of another person already`);
  return { file: await oneFile(em, principal.officeId, personId, attached.id), created: attached.created };
}

/**
 * Moves the file to a dossier in which the person is an applicant (or back to the card with
 * null), audited. A dossier of another office is not found (404); one of this office where the
 * person is no applicant is refused 422; a deleted file 409. Moving it where it is changes
 * nothing and writes no history line.
 */
export async function movePersonFile(em: EntityManager, principal: Principal, personId: string, fileId: string, dossierId: string | null, now: Date): Promise<PersonFile> {
  await requirePersonRow(em, principal.officeId, personId);
  if (dossierId !== null) await requireDossier(em, principal.officeId, dossierId);
  await em.transactional(async (tem) => {
    const file = await fileOf(tem, principal.officeId, personId, fileId, true);
    const applicantOf = await rows<{ dossier_id: string }>(
      tem,
      'select a.dossier_id from dossier_applicants a join dossiers d on d.id = a.dossier_id where a.person_id = ? and d.office_id = ?',
      [personId, principal.officeId],
    );
    const verdict = moveVerdict({ dossierId: file.dossier_id, deleted: file.deleted_at !== null }, dossierId, applicantOf.map((a) => a.dossier_id));
    if (verdict === 'deleted') throw refuse.conflict('file-deleted', `File ${fileId} is deleted`);
    if (verdict === 'not-an-applicant') {
      throw refuse.unprocessable('not-an-applicant', `The person is no applicant in dossier ${dossierId}: a file moves only to the person's own dossiers`, { dossierId });
    }
    if (verdict === 'move') await storeMove(tem, { fileId: file.id, from: file.dossier_id, to: dossierId, actor: principal.credentialId, at: now });
  });
  return oneFile(em, principal.officeId, personId, fileId);
}

/** Deletes the file: its bytes (the upload) go, the row stays as a tombstone with the audit line. Deleting it again changes nothing. */
export async function deletePersonFile(em: EntityManager, principal: Principal, personId: string, fileId: string, now: Date): Promise<void> {
  await requirePersonRow(em, principal.officeId, personId);
  await em.transactional(async (tem) => {
    const file = await fileOf(tem, principal.officeId, personId, fileId, true);
    if (file.deleted_at !== null) return;
    if (file.upload_id) await deleteUpload(tem, file.upload_id);
    await markPersonFileDeleted(tem, { fileId: file.id, from: file.dossier_id, actor: principal.credentialId, at: now });
  });
}

/** The file's facts and its bytes as chunks (streamed from the upload engine, never whole in memory). */
export async function personFileContent(em: EntityManager, officeId: string, personId: string, fileId: string) {
  const file = await fileOf(em, officeId, personId, fileId);
  if (file.deleted_at !== null || file.upload_id === null) throw refuse.conflict('file-deleted', `File ${fileId} is deleted`);
  const upload = await completedUploadInOffice(em, officeId, file.upload_id);
  return { filename: file.filename, contentType: upload.contentType, sizeBytes: upload.sizeBytes, sha256: upload.sha256, chunks: readUploadChunks(em, upload.id) };
}
