/**
 * The person import (issue #6 part 4, admins): every row is validated on its own (row number and
 * readable reasons), likely duplicates are reported and never imported (an existing person by the
 * same rules as a single create: lib/persons findDuplicates, or an earlier row of the same file),
 * and a dry run answers the same report without writing a person.
 *
 * A real run works in batches of BATCH_SIZE rows: each batch's good rows are inserted in one
 * transaction and the `person_imports` row's `processed` is updated after it, so
 * GET /persons/imports/:id shows the progress while the request is still running. Files are
 * handled inside the request (at most MAX_ROWS rows); a crash mid-file leaves the batches done so
 * far imported, and importing the same file again reports those rows as duplicates.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { newId } from '../../db/ids.js';
import { normalisePostcode } from '../shared/schemas.js';
import type { PersonInput } from '../crm/persons.schemas.js';
import type { PersonImportReport, PersonImportStatus } from './schemas.js';
import { duplicateCriteriaOf, findDuplicates, insertPerson } from '../crm/persons.js';
import { DomainError, refuse } from '../../domain/errors.js';
import { isoInstant, looksLikeUuid } from '../../db/sql.js';
import type { PersonImportFormat } from '../../domain/person-import/import.js';
import { todayInAmsterdam } from '../../domain/dates.js';
import { textProblem } from '../../domain/text.js';
import { parseCsv, parseXlsx, type ParsedFile, type RawRow } from './parse.js';
import { importOfOffice, insertImportOnce, markImportDone, markImportFailed, recordImportProgress } from './store.js';

export const MAX_ROWS = 10_000;
export const BATCH_SIZE = 250;

const EMAIL = /^[^\s@"<>,;]+@[^\s@"<>,;]+\.[A-Za-z]{2,}$/;
const POSTCODE = /^[1-9][0-9]{3} ?[A-Za-z]{2}$/;
const PHONE = /^\+?[0-9][0-9 ()-]{5,19}$/;

/** DD-MM-YYYY (also with / or .) or YYYY-MM-DD; a real calendar date, not in the future, not before 1900. */
export function parseBirthDate(text: string, today: string): string | undefined {
  let y: number, m: number, d: number;
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (match) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else {
    match = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(text);
    if (!match) return undefined;
    [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  }
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  const iso = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  if (y < 1900 || iso > today) return undefined;
  return iso;
}

export interface ValidRow {
  row: number;
  input: PersonInput;
}

/** One row to a PersonInput, or the reasons it cannot be one (all of them, not just the first). */
export function validateRow(raw: RawRow, today: string): { ok: true; value: ValidRow } | { ok: false; reasons: string[] } {
  const c = raw.cells;
  const reasons: string[] = [];
  // The text rule of the API (domain/text.ts): every cell is one line without control characters.
  for (const [field, value] of Object.entries(c)) {
    const problem = typeof value === 'string' ? textProblem(value, 'line') : undefined;
    if (problem) reasons.push(`${field} ${problem}`);
  }
  if (!c.lastName) reasons.push('missing last name (achternaam)');
  if (!c.firstName) reasons.push('missing first name (voornaam)');
  if (c.firstName && c.firstName.length > 100) reasons.push('first name longer than 100 characters');
  if (c.lastName && c.lastName.length > 100) reasons.push('last name longer than 100 characters');
  if (c.infix && c.infix.length > 20) reasons.push('infix (tussenvoegsel) longer than 20 characters');
  let birthDate: string | undefined;
  if (c.birthDate) {
    birthDate = parseBirthDate(c.birthDate, today);
    if (!birthDate) reasons.push(`invalid birth date "${c.birthDate}" (use DD-MM-YYYY or YYYY-MM-DD)`);
  }
  if (c.email && (!EMAIL.test(c.email) || c.email.length > 254)) reasons.push(`invalid e-mail address "${c.email}"`);
  if (c.phone && !PHONE.test(c.phone)) reasons.push(`invalid phone number "${c.phone}"`);
  let postcode: string | undefined;
  if (c.postcode) {
    if (POSTCODE.test(c.postcode)) postcode = normalisePostcode(c.postcode);
    else reasons.push(`invalid postcode "${c.postcode}" (expected like 1234 AB)`);
  }
  let houseNumber: number | undefined;
  let suffix = c.houseNumberSuffix;
  if (c.houseNumber) {
    // "12a" / "12-a" in one column is common in exports: split off the suffix.
    const m = /^(\d{1,5})(?:\s*[-\s]?\s*([A-Za-z0-9]{1,10}))?$/.exec(c.houseNumber);
    if (m && Number(m[1]) >= 1) {
      houseNumber = Number(m[1]);
      if (m[2] && !suffix) suffix = m[2];
    } else reasons.push(`invalid house number "${c.houseNumber}"`);
  }
  const addressParts = [c.street, c.houseNumber, c.postcode, c.city];
  if (addressParts.some(Boolean) && !addressParts.every(Boolean)) {
    reasons.push('incomplete address: street, house number, postcode and city go together');
  }
  if (reasons.length) return { ok: false, reasons };
  const input: PersonInput = {
    firstName: c.firstName!,
    lastName: c.lastName!,
    ...(c.infix ? { infix: c.infix } : {}),
    ...(birthDate ? { birthDate } : {}),
    ...(c.email ? { email: c.email } : {}),
    ...(c.phone ? { phone: c.phone } : {}),
    ...(c.street && houseNumber !== undefined && postcode && c.city
      ? { address: { street: c.street, houseNumber, postcode, city: c.city, ...(suffix ? { houseNumberSuffix: suffix.slice(0, 10) } : {}) } }
      : {}),
  };
  return { ok: true, value: { row: raw.row, input } };
}

/** The keys by which two rows of one file are the same person (the rules of findDuplicates). */
function fileKeys(input: PersonInput): { key: string; reason: string }[] {
  const keys: { key: string; reason: string }[] = [];
  if (input.birthDate) keys.push({ key: `bn:${input.birthDate}:${input.lastName.trim().toLowerCase()}`, reason: 'same birth date and last name' });
  if (input.email) keys.push({ key: `e:${input.email.trim().toLowerCase()}`, reason: 'same e-mail address' });
  if (input.address) keys.push({ key: `a:${normalisePostcode(input.address.postcode)}:${input.address.houseNumber}`, reason: 'same postcode and house number' });
  return keys;
}

const existingReason: Record<string, string> = { 'birthDate+name': 'same birth date and last name', email: 'same e-mail address', address: 'same postcode and house number' };

export interface ImportRun {
  importId: string;
  officeId: string;
  actor: string;
  dryRun: boolean;
  format: PersonImportFormat;
  today: string;
}

/** Creates the progress row first (so a client can poll it), then validates and imports batch by batch. */
export async function runPersonImport(em: EntityManager, run: ImportRun, file: ParsedFile): Promise<PersonImportReport> {
  if (file.rows.length > MAX_ROWS) {
    throw new DomainError('unprocessable', 'import-too-large', `The file has ${file.rows.length} rows; at most ${MAX_ROWS} per import (split the file)`);
  }
  const created = await insertImportOnce(em, { id: run.importId, officeId: run.officeId, createdBy: run.actor, dryRun: run.dryRun, format: run.format, total: file.rows.length });
  if (!created) throw refuse.conflict('import-exists', `An import with id ${run.importId} exists already; choose a new importId`);
  const report: PersonImportReport = {
    importId: run.importId,
    dryRun: run.dryRun,
    total: file.rows.length,
    imported: 0,
    wouldImport: 0,
    skipped: [],
    duplicates: [],
    ignoredColumns: file.ignoredColumns,
  };
  const seen = new Map<string, number>();
  try {
    for (let start = 0; start < file.rows.length; start += BATCH_SIZE) {
      const batch = file.rows.slice(start, start + BATCH_SIZE);
      const good: ValidRow[] = [];
      for (const raw of batch) {
        const checked = validateRow(raw, run.today);
        if (!checked.ok) {
          report.skipped.push({ row: raw.row, reasons: checked.reasons });
          continue;
        }
        const { input } = checked.value;
        const keys = fileKeys(input);
        const earlier = keys.find((k) => seen.has(k.key));
        if (earlier) {
          report.duplicates.push({ row: raw.row, reasons: [`likely duplicate of row ${seen.get(earlier.key)} in this file (${earlier.reason})`], ofRow: seen.get(earlier.key)!, existing: [] });
          continue;
        }
        for (const k of keys) seen.set(k.key, raw.row);
        const existing = await findDuplicates(em, run.officeId, duplicateCriteriaOf(input));
        if (existing.length) {
          report.duplicates.push({
            row: raw.row,
            reasons: existing.map((d) => `likely duplicate of existing person ${d.name} (${d.reasons.map((r) => existingReason[r] ?? r).join(', ')})`),
            existing: existing.map((d) => ({ id: d.id, name: d.name, reasons: d.reasons })),
          });
          continue;
        }
        good.push(checked.value);
      }
      report.wouldImport += good.length;
      if (!run.dryRun && good.length) {
        await em.transactional(async (tem) => {
          for (const g of good) insertPerson(tem, run.officeId, g.input);
        });
        report.imported += good.length;
      }
      await recordImportProgress(em, run.importId, start + batch.length, report.imported);
    }
  } catch (err) {
    await markImportFailed(em, run.importId, err instanceof Error ? err.message : String(err));
    throw err;
  }
  await markImportDone(em, run.importId, report);
  return report;
}

/** Reads the file in its format (CSV as UTF-8 text, or XLSX), then imports it as runPersonImport does (today: in Amsterdam at `now`). */
export async function importPersonsFile(em: EntityManager, run: Omit<ImportRun, 'today'>, bytes: Buffer, now: Date): Promise<PersonImportReport> {
  const file = run.format === 'xlsx' ? await parseXlsx(bytes) : parseCsv(bytes.toString('utf8'));
  return runPersonImport(em, { ...run, today: todayInAmsterdam(now) }, file);
}

export async function getPersonImport(em: EntityManager, officeId: string, id: string): Promise<PersonImportStatus> {
  const r = looksLikeUuid(id) ? await importOfOffice(em, officeId, id) : undefined;
  if (!r) throw refuse.notFound('Person import', id);
  return {
    id: r.id,
    dryRun: r.dry_run,
    format: r.format,
    status: r.status,
    total: Number(r.total),
    processed: Number(r.processed),
    imported: Number(r.imported),
    error: r.error,
    report: r.report,
    createdBy: r.created_by,
    createdAt: isoInstant(r.created_at) ?? '',
    updatedAt: isoInstant(r.updated_at) ?? '',
  };
}

export const newImportId = newId;
