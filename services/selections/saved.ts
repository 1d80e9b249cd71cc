/**
 * Saved selections (*querymanager*): private to the credential that saved them (someone else's
 * answers not-found: it is private, not forbidden), exported as CSV or Excel, and the whole
 * selection's call tasks for the back office.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { newId } from '../../db/ids.js';
import { isoInstant, looksLikeUuid } from '../../db/sql.js';
import { refuse } from '../../domain/errors.js';
import type { ExportFormat } from '../../domain/selections/query.js';
import type { Readable } from 'node:stream';
import { csvStream, xlsxStream } from './export.js';
import { resolveQuery, selectionBatches } from './query.js';
import type { SavedSelection, SelectionQuery } from './schemas.js';
import { deleteSavedSelection, insertSavedSelectionOnce, savedSelectionOf, savedSelectionsOf, type SavedSelectionRow } from './store.js';

/** Call tasks work on the whole selection: beyond this, narrow it first (exports stream, without a limit). */
export const MAX_TASKS = 5_000;

/** Who asks: selections are saved per credential within an office. */
export interface SelectionOwner {
  officeId: string;
  credentialId: string;
}

const toSaved = (r: SavedSelectionRow): SavedSelection => ({ id: r.id, name: r.name, query: r.query, createdAt: isoInstant(r.created_at) ?? '' });

/** A saved selection of this credential; someone else's is refused not-found. */
async function ownSaved(em: EntityManager, owner: SelectionOwner, id: string): Promise<SavedSelectionRow> {
  const found = looksLikeUuid(id) ? await savedSelectionOf(em, owner.officeId, owner.credentialId, id) : undefined;
  if (!found) throw refuse.notFound('Saved selection', id);
  return found;
}

export async function listSavedSelections(em: EntityManager, owner: SelectionOwner): Promise<SavedSelection[]> {
  return (await savedSelectionsOf(em, owner.officeId, owner.credentialId)).map(toSaved);
}

/** Saves the (checked) query under a name; the same name again is refused `duplicate-name` (409). */
export async function saveSelection(em: EntityManager, owner: SelectionOwner, input: { name: string; query: SelectionQuery }): Promise<SavedSelection> {
  await resolveQuery(em, owner.officeId, input.query);
  const id = newId();
  const name = input.name.trim();
  const inserted = await insertSavedSelectionOnce(em, { id, officeId: owner.officeId, credentialId: owner.credentialId, name, query: input.query });
  if (!inserted) throw refuse.conflict('duplicate-name', `You already saved a selection named "${name}"`);
  return toSaved(await ownSaved(em, owner, id));
}

export async function removeSavedSelection(em: EntityManager, owner: SelectionOwner, id: string): Promise<void> {
  const saved = await ownSaved(em, owner, id);
  await deleteSavedSelection(em, saved.id);
}

/** An export on its way: the bytes are produced while they are sent. */
export interface SelectionFile {
  filename: string;
  contentType: string;
  body: Readable;
  /** What was exported, for the log line that records who exported what (no personal values). */
  query: SelectionQuery;
}

export const contentTypes: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/**
 * The selection (or, for an empty query, every person of the CRM) as a streamed file. The query
 * is checked now (a bad filter is a 400 before anything is sent); the rows are read from a
 * cursor while the file goes out. No row limit: nothing is held in memory.
 */
export async function exportSelection(
  em: EntityManager,
  officeId: string,
  query: SelectionQuery,
  format: ExportFormat,
  options: { name?: string; today: string; batchSize?: number },
): Promise<SelectionFile> {
  const resolved = await resolveQuery(em, officeId, query);
  const whole = Object.keys(query).length === 0;
  const title = options.name ?? (whole ? 'CRM personen' : 'Selectie');
  // A saved selection's file is named after it; an ad-hoc one after the day it was made.
  const base = options.name ? `selectie-${slug(options.name) || 'export'}` : `${whole ? 'crm-personen' : 'selectie'}-${options.today}`;
  const batches = selectionBatches(em, officeId, query, resolved, options.batchSize);
  return {
    filename: `${base}.${format}`,
    contentType: contentTypes[format],
    body: format === 'csv' ? csvStream(batches) : xlsxStream(batches, title),
    query,
  };
}

/** The saved selection's rows as a streamed file: CSV (semicolons, UTF-8) or Excel, Dutch headers. */
export async function exportSavedSelection(em: EntityManager, owner: SelectionOwner, savedId: string, format: ExportFormat, today: string): Promise<SelectionFile> {
  const saved = await ownSaved(em, owner, savedId);
  return exportSelection(em, owner.officeId, saved.query, format, { name: saved.name, today });
}
