/**
 * Reading a person import file (issue #6 part 4): CSV (`;` or `,`, quoted fields as Excel writes
 * them, UTF-8 with or without BOM) or XLSX (first worksheet, via exceljs), header row with Dutch
 * or English column names, into raw text cells per row. Validation is in validate.ts: reading
 * never rejects a row, so one bad row cannot stop the others.
 */
import ExcelJS from 'exceljs';
import { DomainError } from '../../domain/errors.js';

export type ImportField =
  | 'firstName'
  | 'infix'
  | 'lastName'
  | 'birthDate'
  | 'email'
  | 'phone'
  | 'street'
  | 'houseNumber'
  | 'houseNumberSuffix'
  | 'postcode'
  | 'city';

/** Header names (lower case, without spaces, dashes, dots and underscores) per field. */
const headerNames: Record<ImportField, string[]> = {
  firstName: ['voornaam', 'firstname', 'roepnaam', 'givenname'],
  infix: ['tussenvoegsel', 'tussenvoegsels', 'infix'],
  lastName: ['achternaam', 'lastname', 'familienaam', 'surname'],
  birthDate: ['geboortedatum', 'birthdate', 'dateofbirth'],
  email: ['email', 'emailadres', 'mail'],
  phone: ['telefoon', 'telefoonnummer', 'phone', 'phonenumber', 'mobiel'],
  street: ['straat', 'street', 'straatnaam'],
  houseNumber: ['huisnummer', 'housenumber', 'nummer'],
  houseNumberSuffix: ['toevoeging', 'huisnummertoevoeging', 'housenumbersuffix', 'suffix', 'addition'],
  postcode: ['postcode', 'postalcode', 'zipcode', 'zip'],
  city: ['woonplaats', 'city', 'plaats', 'town'],
};

const fieldOfHeader = new Map<string, ImportField>(
  (Object.entries(headerNames) as [ImportField, string[]][]).flatMap(([field, names]) => names.map((n) => [n, field] as const)),
);

export const normaliseHeader = (h: string): string => h.toLowerCase().replace(/[\s\-_.]/g, '');

export interface RawRow {
  /** The row number as the user sees it in the spreadsheet (header is row 1). */
  row: number;
  cells: Partial<Record<ImportField, string>>;
}

export interface ParsedFile {
  rows: RawRow[];
  /** Headers that matched no field: reported, not an error (offices export extra columns). */
  ignoredColumns: string[];
}

function mapHeader(headers: string[]): { fields: (ImportField | undefined)[]; ignored: string[] } {
  const fields = headers.map((h) => fieldOfHeader.get(normaliseHeader(h)));
  if (!fields.includes('lastName')) {
    throw new DomainError('unprocessable', 'import-header',
      `The first row must name the columns; no last-name column (achternaam / lastName) was found among: ${headers.filter(Boolean).join(', ') || '(empty)'}`,
    );
  }
  return { fields, ignored: headers.filter((h, i) => h.trim() && !fields[i]) };
}

/** RFC 4180 style: quotes around fields, "" inside quotes, CR LF or LF line ends. */
export function parseCsv(text: string): ParsedFile {
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.split(/\r?\n/, 1)[0] ?? '';
  // The header decides: Dutch Excel writes `;`, most other tools `,`.
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) >= (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < body.length; i += 1) {
    const ch = body[i]!;
    if (quoted) {
      if (ch === '"') {
        if (body[i + 1] === '"') {
          field += '"';
          i += 1;
        } else quoted = false;
      } else field += ch;
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && body[i + 1] === '\n') i += 1;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || record.length) {
    record.push(field);
    records.push(record);
  }
  const [header, ...data] = records;
  if (!header) throw new DomainError('unprocessable', 'import-empty', 'The file is empty');
  const { fields, ignored } = mapHeader(header);
  const rows: RawRow[] = [];
  data.forEach((cells, i) => {
    if (cells.every((c) => c.trim() === '')) return; // blank lines (a trailing one is common)
    rows.push({ row: i + 2, cells: cellsOf(fields, cells) });
  });
  return { rows, ignoredColumns: ignored };
}

function cellsOf(fields: (ImportField | undefined)[], values: string[]): Partial<Record<ImportField, string>> {
  const cells: Partial<Record<ImportField, string>> = {};
  fields.forEach((f, i) => {
    const v = values[i]?.trim();
    if (f && v) cells[f] = v;
  });
  return cells;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** A cell as text; dates (exceljs gives them as UTC midnight) as YYYY-MM-DD. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('text' in value && typeof value.text === 'string') return value.text; // hyperlink (e-mail cells)
  if ('result' in value) return value.result === undefined ? '' : cellText(value.result as ExcelJS.CellValue);
  if ('error' in value) return '';
  return '';
}

export async function parseXlsx(bytes: Buffer): Promise<ParsedFile> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (err) {
    throw new DomainError('unprocessable', 'import-unreadable', `The file is not a readable .xlsx workbook: ${err instanceof Error ? err.message : String(err)}`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet || sheet.rowCount === 0) throw new DomainError('unprocessable', 'import-empty', 'The workbook has no rows');
  const headerRow = sheet.getRow(1);
  const headers: string[] = [];
  for (let c = 1; c <= headerRow.cellCount; c += 1) headers.push(cellText(headerRow.getCell(c).value).trim());
  const { fields, ignored } = mapHeader(headers);
  const rows: RawRow[] = [];
  for (let r = 2; r <= sheet.rowCount; r += 1) {
    const row = sheet.getRow(r);
    const values = fields.map((_, i) => cellText(row.getCell(i + 1).value));
    if (values.every((v) => v.trim() === '')) continue;
    rows.push({ row: r, cells: cellsOf(fields, values) });
  }
  return { rows, ignoredColumns: ignored };
}
