import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { personFileEventKinds } from '../../domain/person-files/files.js';

/** A file kept with a person on the CRM card (*bestand*), written only by services/person-files/store.ts. */
export const PersonFile = defineEntity({
  name: 'PersonFile',
  tableName: 'person_files',
  properties: {
    id: p.uuid().primary(),
    officeId: p.uuid(),
    personId: p.uuid(),
    /** The completed upload holding the bytes; null once deleted. */
    uploadId: p.uuid().nullable().unique(),
    /** The dossier it was moved to; null while it is on the card only. */
    dossierId: p.uuid().nullable(),
    filename: p.text(),
    contentType: p.text(),
    sizeBytes: p.integer(),
    sha256: p.text(),
    createdBy: p.uuid(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()),
    deletedAt: p.datetime().nullable(),
    deletedBy: p.uuid().nullable(),
  },
});
export type PersonFile = InferEntity<typeof PersonFile>;

/** One line of a person file's history: attached, moved (from, to), deleted; who and when. */
export const PersonFileEvent = defineEntity({
  name: 'PersonFileEvent',
  tableName: 'person_file_events',
  properties: {
    id: p.uuid().primary(),
    fileId: p.uuid(),
    kind: p.enum([...personFileEventKinds]),
    fromDossierId: p.uuid().nullable(),
    toDossierId: p.uuid().nullable(),
    actor: p.uuid(),
    at: p.datetime(),
  },
});
export type PersonFileEvent = InferEntity<typeof PersonFileEvent>;
