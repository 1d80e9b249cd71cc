/**
 * PLACEHOLDER of h3's upload engine (the contract in /work/tools/i18-contract.md): the exports
 * the checklist codes against, with their shapes. Replaced by h3's file when its branch is
 * merged (take theirs); every function refuses until then.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../../domain/roles.js';
import { DomainError } from '../../domain/errors.js';

export const MAX_FILE_BYTES = 25 * 1024 * 1024;

export interface CompletedUpload {
  id: string;
  officeId: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  completedAt: Date;
}

const missing = (): DomainError => new DomainError('unavailable', 'upload-engine-missing', 'The upload engine is not merged yet');

export async function completedUploadOf(_em: EntityManager, _principal: Principal, _uploadId: string): Promise<CompletedUpload> {
  throw missing();
}

export async function completedUploadInOffice(_em: EntityManager, _officeId: string, _uploadId: string): Promise<CompletedUpload> {
  throw missing();
}

export function readUploadChunks(_em: EntityManager, _uploadId: string): AsyncIterable<Buffer> {
  throw missing();
}

export async function uploadBytes(_em: EntityManager, _uploadId: string): Promise<Buffer> {
  throw missing();
}
