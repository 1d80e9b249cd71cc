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
import { toCsv, toXlsx } from './export.js';
import { allRows, checkQuery } from './query.js';
import type { SavedSelection, SelectionQuery } from './schemas.js';
import { deleteSavedSelection, insertSavedSelectionOnce, savedSelectionOf, savedSelectionsOf, type SavedSelectionRow } from './store.js';

/** Export and call tasks work on the whole selection: beyond this, narrow it first. */
export const MAX_EXPORT_ROWS = 50_000;
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
  checkQuery(input.query);
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

export interface SelectionFile {
  filename: string;
  contentType: string;
  body: Buffer;
}

/** The saved selection's rows as a file: CSV (semicolons, UTF-8) or Excel, Dutch headers. */
export async function exportSavedSelection(em: EntityManager, owner: SelectionOwner, savedId: string, format: ExportFormat): Promise<SelectionFile> {
  const saved = await ownSaved(em, owner, savedId);
  const items = await allRows(em, owner.officeId, saved.query, MAX_EXPORT_ROWS);
  const base = `selectie-${saved.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'export'}`;
  if (format === 'csv') return { filename: `${base}.csv`, contentType: 'text/csv; charset=utf-8', body: toCsv(items) };
  return { filename: `${base}.xlsx`, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', body: await toXlsx(items, saved.name) };
}
