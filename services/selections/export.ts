/**
 * Export of a selection for a mailing or a call list: CSV (semicolon-separated, the separator a
 * Dutch Excel opens directly, UTF-8 with BOM) and XLSX (exceljs). Headers are Dutch, one row per
 * (person, dossier). Cells that a spreadsheet would run as a formula (=, +, -, @ first) are
 * prefixed with a quote: a name typed as "=HYPERLINK(...)" must stay text (CSV injection).
 */
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
  { header: 'Dossier aangemaakt', width: 18, value: (r) => r.dossierCreatedAt.slice(0, 10) },
];

/** Text that a spreadsheet must not evaluate. */
export function defuse(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = typeof value === 'number' ? String(value) : defuse(value);
  return /[";\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(items: SelectionRow[]): Buffer {
  const lines = [exportColumns.map((c) => csvField(c.header)).join(';')];
  for (const r of items) lines.push(exportColumns.map((c) => csvField(c.value(r))).join(';'));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

export async function toXlsx(items: SelectionRow[], sheetName: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'dossierflow';
  // Sheet names: max 31 characters, none of : \ / ? * [ ]
  const sheet = workbook.addWorksheet(sheetName.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31) || 'Selectie');
  sheet.columns = exportColumns.map((c) => ({ header: c.header, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  for (const r of items) {
    sheet.addRow(exportColumns.map((c) => {
      const v = c.value(r);
      return typeof v === 'string' ? defuse(v) : v;
    }));
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
