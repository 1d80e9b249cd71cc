/**
 * Export of a selection or of the whole CRM for a mailing or a call list, streamed: rows come
 * from a PostgreSQL cursor in batches (services/selections/cursor.ts) and go out as they are
 * written, so 100,000 persons never sit in memory at once.
 *
 * - CSV: semicolon-separated (the separator a Dutch Excel opens directly; a comma is the decimal
 *   sign there), UTF-8 with a byte order mark (else Excel reads it as Windows-1252), CRLF line
 *   ends, fields quoted RFC 4180 style when they hold a `;`, `"`, CR or LF (csv-stringify).
 * - XLSX: exceljs' streaming WorkbookWriter (rows are committed and zipped as they come).
 * - Dutch headers, one row per (person, dossier); a person without a dossier has empty dossier
 *   columns.
 * - Cells that a spreadsheet would run as a formula (first character = + - @ tab or CR) are
 *   prefixed with a quote: a name typed as "=HYPERLINK(...)" must stay text (CSV injection).
 */
import { once } from 'node:events';
import { PassThrough, Readable, pipeline } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { SelectionRow } from './schemas.js';

export const exportColumns: { header: string; width: number; value: (r: SelectionRow) => string | number | null }[] = [
  { header: 'Naam', width: 30, value: (r) => r.name },
  { header: 'Voornaam', width: 16, value: (r) => r.firstName },
  { header: 'Tussenvoegsel', width: 12, value: (r) => r.infix },
  { header: 'Achternaam', width: 20, value: (r) => r.lastName },
  { header: 'E-mailadres', width: 30, value: (r) => r.email },
  { header: 'Telefoon', width: 16, value: (r) => r.phone },
  { header: 'Straat', width: 22, value: (r) => r.street },
  { header: 'Huisnummer', width: 11, value: (r) => r.houseNumber },
  { header: 'Toevoeging', width: 10, value: (r) => r.houseNumberSuffix },
  { header: 'Postcode', width: 10, value: (r) => r.postcode },
  { header: 'Woonplaats', width: 18, value: (r) => r.city },
  { header: 'Geboortedatum', width: 13, value: (r) => r.birthDate },
  { header: 'Geen mailings', width: 13, value: (r) => (r.mailOptOut ? 'ja' : 'nee') },
  { header: 'Dossiernummer', width: 15, value: (r) => r.dossierNumber },
  { header: 'Dossierstatus', width: 13, value: (r) => (r.dossierStatus === 'client' ? 'klant' : r.dossierStatus) },
  { header: 'Dossier aangemaakt', width: 18, value: (r) => r.dossierCreatedAt?.slice(0, 10) ?? null },
];

/** Text that a spreadsheet must not evaluate. */
export function defuse(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** The cells of a row as the export writes them: text defused, numbers kept, empty for null. */
export function exportCells(r: SelectionRow): (string | number | null)[] {
  return exportColumns.map((c) => {
    const v = c.value(r);
    return typeof v === 'string' ? defuse(v) : v;
  });
}

/** CSV of the batches as a byte stream (pulled: the next batch is read when the consumer wants more). */
export function csvStream(batches: AsyncIterable<SelectionRow[]>): Readable {
  async function* records(): AsyncGenerator<(string | number | null)[]> {
    yield exportColumns.map((c) => c.header);
    for await (const batch of batches) for (const r of batch) yield exportCells(r);
  }
  // csv-stringify quotes a field holding the delimiter, a quote or the record delimiter (CRLF);
  // a lone LF or CR (an address typed over two lines) must be quoted too, or Excel splits the row.
  const csv = stringify({ delimiter: ';', bom: true, record_delimiter: 'windows', quoted_match: /[\r\n]/, cast: { number: (n) => String(n) } });
  // pipeline: an error on either side (a failing cursor, a client gone) destroys both.
  return pipeline(Readable.from(records()), csv, () => undefined);
}

/** An Excel sheet name: at most 31 characters, none of : \ / ? * [ ]. */
export function sheetNameOf(name: string): string {
  return name.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31).trim() || 'Selectie';
}

/**
 * XLSX of the batches as a byte stream. The WorkbookWriter zips committed rows into `out`;
 * after each batch it waits while `out` is full, so a slow client slows the cursor down instead
 * of piling rows up in memory.
 */
export function xlsxStream(batches: AsyncIterable<SelectionRow[]>, sheetName: string): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'dossierflow';
  const sheet = workbook.addWorksheet(sheetNameOf(sheetName), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = exportColumns.map((c) => ({ width: c.width }));
  const header = sheet.addRow(exportColumns.map((c) => c.header));
  header.font = { bold: true };
  header.commit();
  void (async () => {
    for await (const batch of batches) {
      if (out.destroyed) return;
      for (const r of batch) sheet.addRow(exportCells(r)).commit();
      if (out.writableNeedDrain) await Promise.race([once(out, 'drain'), once(out, 'close')]);
    }
    sheet.commit();
    await workbook.commit();
  })().catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return out;
}
