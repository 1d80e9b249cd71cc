/** Documents of a dossier: the PDFs a process generates from a template, and the documents as advisers read them. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { isoInstant, rows, type Row } from '../../db/sql.js';
import type { GenerateDocumentInput } from '../../domain/products/side-effects.js';
import { renderDocumentPdf } from '../../integrations/pdf/render.js';
import { contextData, loadDossierContext } from '../dossiers/context.js';
import type { DocumentSummary } from '../dossiers/schemas.js';
import { loadTemplate, renderOrFail } from '../templates/load.js';
import { paragraphsOf, renderTemplate } from '../templates/render.js';
import { documentIdByKey, insertDocumentOnce } from './store.js';

/** Renders the document template of the dossier (e.g. the service agreement) to a stored PDF, once per key. */
export async function generateDocument(em: EntityManager, input: GenerateDocumentInput, now: Date): Promise<{ documentId: string }> {
  const existing = await documentIdByKey(em, input.key);
  if (existing) return { documentId: existing };

  const ctx = await loadDossierContext(em, input.dossierId, input.productId);
  const template = await loadTemplate(em, input.template, 'document');
  const data = contextData(ctx, now);
  const title = renderOrFail(() => renderTemplate(template.subject ?? template.key, data, { context: 'text', name: template.key }));
  const body = renderOrFail(() => renderTemplate(template.body, data, { context: 'text', name: template.key }));
  const pdf = await renderDocumentPdf({
    title,
    paragraphs: paragraphsOf(body),
    author: ctx.office.name,
    subject: `${input.documentType} ${ctx.dossier.number}`,
    footer: `${ctx.office.name} - dossier ${ctx.dossier.number}`,
    createdAt: now,
  });
  const documentId = await insertDocumentOnce(em, {
    key: input.key,
    officeId: ctx.office.id,
    dossierId: input.dossierId,
    productId: input.productId,
    documentType: input.documentType,
    filename: `${input.documentType}-${ctx.dossier.number}.pdf`,
    contentType: 'application/pdf',
    content: pdf,
    createdAt: now,
  });
  return { documentId };
}

export interface DocumentRow extends Row {
  id: string;
  product_id: string | null;
  document_type: string;
  filename: string;
  content_type: string;
  size_bytes: number;
  created_at: unknown;
}

export const documentColumns = 'id, product_id, document_type, filename, content_type, size_bytes, created_at';

export async function listDocuments(em: EntityManager, officeId: string, dossierId: string): Promise<DocumentSummary[]> {
  const found = await rows<DocumentRow>(em, `select ${documentColumns} from documents where office_id = ? and dossier_id = ? order by created_at, id`, [officeId, dossierId]);
  return found.map(documentSummary);
}

export function documentSummary(r: DocumentRow): DocumentSummary {
  return {
    id: r.id,
    productId: r.product_id,
    documentType: r.document_type,
    filename: r.filename,
    contentType: r.content_type,
    sizeBytes: Number(r.size_bytes),
    createdAt: isoInstant(r.created_at) ?? '',
    href: `/documents/${r.id}`,
  };
}

export async function getDocumentContent(
  em: EntityManager,
  officeId: string,
  id: string,
): Promise<{ filename: string; contentType: string; content: Buffer; sha256: string } | undefined> {
  const [r] = await rows<{ filename: string; content_type: string; content: Buffer; sha256: string }>(
    em,
    'select filename, content_type, content, sha256 from documents where office_id = ? and id = ?',
    [officeId, id],
  );
  if (!r) return undefined;
  return { filename: r.filename, contentType: r.content_type, content: Buffer.from(r.content), sha256: r.sha256 };
}
