/**
 * Uploading a document for a line of the lender's checklist (DA): the file is checked (size,
 * declared type against its first bytes), stored in PostgreSQL, then handed to the product
 * workflow, which sends it to the lender as DX. Lines the lender fetched itself, or already
 * approved, are refused before anything is stored.
 */
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { insertDocumentOnce } from '../work/store.js';
import { deliverDocumentUpdate, type DeliverDocumentResult } from '../../workflows/products/product.messages.js';
import type { Principal } from '../../domain/roles.js';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import { findProductRow } from '../products/products.js';
import { DomainError, refuse } from '../../domain/errors.js';
import { DOCUMENT_LINE_APPROVED } from '../../domain/hdn/document-lines.js';
import { documentLineOf } from './store.js';

/** Files up to 25 MB (what the client portal accepts too). */
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;
const DELIVER_DEADLINE_MS = 60_000;

/** Accepted types with the bytes every such file starts with. */
export const uploadTypes: Record<string, { extension: string; magic: number[] }> = {
  'application/pdf': { extension: 'pdf', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  'image/jpeg': { extension: 'jpg', magic: [0xff, 0xd8, 0xff] },
  'image/png': { extension: 'png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
};

export interface UploadResult extends DeliverDocumentResult {
  documentId: string;
  filename: string;
  sizeBytes: number;
}

/** A filename safe to store and to send: no path, no control characters, bounded length. */
export function safeFilename(raw: string, contentType: string): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  const cleaned = [...base]
    .map((ch) => (ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f || '<>:"|?*'.includes(ch) ? '_' : ch))
    .join('')
    .trim()
    .slice(0, 120);
  const extension = uploadTypes[contentType]?.extension ?? 'bin';
  if (!cleaned || cleaned.startsWith('.')) return `document.${extension}`;
  return cleaned;
}

export function checkFileType(contentType: string, bytes: Buffer): void {
  const type = uploadTypes[contentType];
  if (!type) {
    throw new DomainError('unsupported-type', 'unsupported-file-type', `Files of type ${contentType} are not accepted; send ${Object.keys(uploadTypes).join(', ')}`);
  }
  if (bytes.length === 0) throw new DomainError('invalid', 'empty-file', 'The file is empty');
  const matches = type.magic.every((b, i) => bytes[i] === b);
  if (!matches) {
    throw new DomainError('unsupported-type', 'file-type-mismatch', `The file does not look like ${contentType} (its first bytes do not match)`);
  }
}

export async function uploadForLine(
  em: EntityManager,
  temporal: TemporalDeps,
  principal: Principal,
  productId: string,
  lineId: string,
  file: { bytes: Buffer; contentType: string; filename: string },
): Promise<UploadResult> {
  const product = await findProductRow(em, principal.officeId, productId);
  if (!product) throw refuse.notFound('Product', productId);
  const line = await documentLineOf(em, productId, lineId);
  if (!line) throw new DomainError('not-found', 'not-found', `The lender's checklist of product ${productId} has no line ${lineId}`);
  if (line.fetched_by_lender) {
    throw new DomainError('conflict', 'line-fetched-by-lender', `Line ${lineId} (${line.document_kind}) is fetched by the lender itself: nothing to send`);
  }
  if (line.status === DOCUMENT_LINE_APPROVED) {
    throw new DomainError('conflict', 'line-already-approved', `Line ${lineId} (${line.document_kind}) is already approved by the lender: it is not sent again`);
  }
  checkFileType(file.contentType, file.bytes);
  if (file.bytes.length > MAX_UPLOAD_BYTES) throw new DomainError('too-large', 'file-too-large', 'Files up to 25 MB are accepted');

  const sha256 = createHash('sha256').update(file.bytes).digest('hex');
  const filename = safeFilename(file.filename, file.contentType);
  // The same file for the same line is the same upload: one row, one DX (the update id below).
  const key = `hdn-upload:${productId}:${lineId}:${sha256}`;
  const stored = {
    id: await insertDocumentOnce(em, {
      key,
      officeId: principal.officeId,
      dossierId: product.dossier_id,
      productId,
      documentType: `hdn-${line.document_kind}`,
      filename,
      contentType: file.contentType,
      content: file.bytes,
    }),
  };

  try {
    const sent = await temporal.client.withDeadline(Date.now() + DELIVER_DEADLINE_MS, () =>
      temporal.client.workflow
        .getHandle(product.workflow_id)
        .executeUpdate(deliverDocumentUpdate, { args: [{ documentId: stored.id, lineId, actor: principal.credentialId }], updateId: `dx:${stored.id}` }),
    );
    return { ...sent, documentId: stored.id, filename, sizeBytes: file.bytes.length };
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) {
      const cause = err.cause;
      const reason = cause instanceof Error && cause.message ? cause.message : err.message;
      const type = cause instanceof ApplicationFailure ? cause.type : undefined;
      if (type === 'HdnGatewayUnavailable') {
        throw new DomainError('unavailable', 'lender-unreachable', `The document is stored but the lender could not be reached: ${reason}. Upload it again later.`);
      }
      throw new DomainError('conflict', 'document-not-sent', reason, { documentId: stored.id });
    }
    if (err instanceof WorkflowNotFoundError) throw new DomainError('conflict', 'process-not-running', `The process of product ${productId} is not running`);
    if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
      throw new DomainError('unavailable', 'outcome-unknown', 'The process engine did not confirm in time; upload the same file again to get the outcome');
    }
    const reason = err instanceof Error ? err.message : String(err);
    throw new DomainError('unavailable', 'workflow-unavailable', `The document is stored but the process engine did not answer (${reason})`);
  }
}
