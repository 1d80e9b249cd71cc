/**
 * The person import over HTTP against a real PostgreSQL (Temporal is a stub: no workflow is
 * involved). An XLSX of 1,000 generated persons with 5 bad rows: the dry run reports the 5 by row
 * and reason and imports nothing; the real run imports 995; the same file again imports nobody
 * and reports every row as a duplicate. A `;`-separated CSV with Dutch headers covers the CSV
 * reader, postcode normalisation and duplicates within the file and against existing persons.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import type { MikroORM } from '../../db/orm.js';
import type { PersonImportReport } from '../../services/person-import/schemas.js';
import { bearer, createTestOffice, openOrm, temporalStub, type TestOffice } from './support.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let orm: MikroORM;
let app: FastifyInstance;
let office: TestOffice;

beforeAll(async () => {
  orm = await openOrm();
  office = await createTestOffice(orm, 'Importkantoor');
  app = buildApp({ orm, temporal: temporalStub() });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await orm?.close(true);
});

async function personCount(): Promise<number> {
  const [r] = await orm.em.fork().execute<{ n: number }[]>(`select count(*)::int as n from persons where office_id = ?`, [office.officeId]);
  return Number(r?.n ?? 0);
}

async function upload(body: Buffer | string, contentType: string, query: string, token = office.tokens.admin) {
  return app.inject({ method: 'POST', url: `/persons/imports?${query}`, headers: { ...bearer(token), 'content-type': contentType }, payload: body });
}

/** Data row i (0-based) is spreadsheet row i + 2. */
const BAD: Record<number, { patch: Record<string, string | Date>; reason: RegExp }> = {
  10: { patch: { achternaam: '' }, reason: /missing last name/ },
  200: { patch: { geboortedatum: '31-02-1980' }, reason: /invalid birth date "31-02-1980"/ },
  400: { patch: { postcode: '123 AB' }, reason: /invalid postcode "123 AB"/ },
  600: { patch: { email: 'jan.at.example.nl' }, reason: /invalid e-mail address/ },
  999: { patch: { huisnummer: 'abc' }, reason: /invalid house number "abc"/ },
};

const columns = ['Voornaam', 'Tussenvoegsel', 'Achternaam', 'Geboortedatum', 'E-mail', 'Telefoon', 'Straat', 'Huisnummer', 'Toevoeging', 'Postcode', 'Woonplaats'];

function generatedRow(i: number, tag: string): Record<string, string | Date> {
  const year = 1950 + (i % 50);
  const month = 1 + (i % 12);
  const day = 1 + (i % 28);
  return {
    voornaam: `Voornaam${i}`,
    tussenvoegsel: i % 7 === 0 ? 'van der' : '',
    achternaam: `Import${tag}${i}`,
    // Alternately a real Excel date cell, a Dutch DD-MM-YYYY text and an ISO text.
    geboortedatum:
      i % 3 === 0
        ? new Date(Date.UTC(year, month - 1, day))
        : i % 3 === 1
          ? `${String(day).padStart(2, '0')}-${String(month).padStart(2, '0')}-${year}`
          : `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    email: `persoon${i}.${tag}@example.nl`,
    telefoon: `06-${String(10_000_000 + i)}`,
    straat: 'Importstraat',
    huisnummer: String(i + 1),
    toevoeging: i % 10 === 0 ? 'A' : '',
    // "1234 ab" spelled loosely on purpose: stored as 1234AB.
    postcode: i % 2 === 0 ? '1234 ab' : '1234AB',
    woonplaats: 'Utrecht',
  };
}

async function xlsxOf(rows: Record<string, string | Date>[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Relaties');
  ws.addRow(columns);
  for (const r of rows) {
    ws.addRow([r.voornaam, r.tussenvoegsel, r.achternaam, r.geboortedatum, r.email, r.telefoon, r.straat, r.huisnummer, r.toevoeging, r.postcode, r.woonplaats]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('person import (XLSX, 1,000 rows)', () => {
  const tag = randomUUID().slice(0, 6);
  let file: Buffer;

  beforeAll(async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({ ...generatedRow(i, tag), ...(BAD[i]?.patch ?? {}) }));
    file = await xlsxOf(rows);
  });

  const expectBadRows = (report: PersonImportReport): void => {
    expect(report.skipped.map((s) => s.row)).toEqual(Object.keys(BAD).map((i) => Number(i) + 2));
    for (const s of report.skipped) {
      const bad = BAD[s.row - 2]!;
      expect(s.reasons.join('; ')).toMatch(bad.reason);
    }
  };

  it('is for admins only', async () => {
    const res = await upload(file, XLSX, 'dryRun=true', office.tokens.adviser);
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('dry run: reports the 5 bad rows by row number and reason, imports nothing', async () => {
    const before = await personCount();
    const res = await upload(file, XLSX, 'dryRun=true');
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json() as PersonImportReport;
    expect(report).toMatchObject({ dryRun: true, total: 1000, imported: 0, wouldImport: 995, duplicates: [] });
    expectBadRows(report);
    expect(await personCount()).toBe(before);
  }, 120_000);

  it('real run: 995 imported in batches (progress readable by id), 5 reported; postcodes normalised', async () => {
    const before = await personCount();
    const importId = randomUUID();
    const res = await upload(file, XLSX, `dryRun=false&importId=${importId}`);
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json() as PersonImportReport;
    expect(report).toMatchObject({ importId, dryRun: false, total: 1000, imported: 995, duplicates: [] });
    expectBadRows(report);
    expect(await personCount()).toBe(before + 995);

    const progress = await app.inject({ method: 'GET', url: `/persons/imports/${importId}`, headers: bearer(office.tokens.admin) });
    expect(progress.statusCode, progress.body).toBe(200);
    expect(progress.json()).toMatchObject({ id: importId, status: 'done', total: 1000, processed: 1000, imported: 995, dryRun: false });

    const again = await upload(file, XLSX, `dryRun=true&importId=${importId}`);
    expect(again.statusCode).toBe(409);

    const em = orm.em.fork();
    const [p0] = await em.execute<{ postcode: string; birth_date: unknown; house_number_suffix: string | null; infix: string | null }[]>(
      `select postcode, birth_date::text as birth_date, house_number_suffix, infix from persons where office_id = ? and lower(email) = ?`,
      [office.officeId, `persoon0.${tag}@example.nl`],
    );
    expect(p0).toMatchObject({ postcode: '1234AB', birth_date: '1950-01-01', house_number_suffix: 'A', infix: 'van der' });
    const [p1] = await em.execute<{ birth_date: string }[]>(`select birth_date::text as birth_date from persons where office_id = ? and lower(email) = ?`, [
      office.officeId,
      `persoon1.${tag}@example.nl`,
    ]);
    expect(p1?.birth_date).toBe('1951-02-02');
  }, 120_000);

  it('the same file again: nothing new, every good row reported as a likely duplicate', async () => {
    const before = await personCount();
    const res = await upload(file, XLSX, 'dryRun=false');
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json() as PersonImportReport;
    expect(report).toMatchObject({ imported: 0, wouldImport: 0 });
    expect(report.duplicates).toHaveLength(995);
    expect(report.duplicates[0]!.existing.length).toBeGreaterThanOrEqual(1);
    expect(report.duplicates[0]!.reasons[0]).toMatch(/likely duplicate of existing person/);
    expectBadRows(report);
    expect(await personCount()).toBe(before);
  }, 120_000);
});

describe('person import (CSV with semicolons and Dutch headers)', () => {
  it('imports the good rows; duplicates of an earlier row and of an existing person are reported, never imported', async () => {
    const tag = randomUUID().slice(0, 6);
    const existing = await app.inject({
      method: 'POST',
      url: '/persons',
      headers: bearer(office.tokens.adviser),
      payload: { firstName: 'Bestaand', lastName: `Csv${tag}`, email: `bestaand.${tag}@example.nl` },
    });
    expect(existing.statusCode, existing.body).toBe(201);

    const csv = [
      'voornaam;tussenvoegsel;achternaam;geboortedatum;email;telefoon;straat;huisnummer;toevoeging;postcode;woonplaats;klantnummer',
      `Anna;;Csv${tag}a;12-04-1990;anna.${tag}@example.nl;0612345678;"Dorpsstraat; achterom";12;;2345 ab;Utrecht;K1`,
      `Bram;van;Csv${tag}b;1985-11-30;bram.${tag}@example.nl;;;;;;;K2`,
      `Anna;;Csv${tag}a2;;ANNA.${tag}@example.nl;;;;;;;K3`,
      `Bestaand;;Csv${tag};;bestaand.${tag}@example.nl;;;;;;;K4`,
      `Carla;;Csv${tag}c;01-01-2999;carla.${tag}@example.nl;;Laan;5;;9999 XX;Zwolle;K5`,
      `Dirk;;;;dirk.${tag}@example.nl;;Laan;6;;12345;Zwolle;K6`,
      `Eva;de;Csv${tag}e;;;;"Kerkstraat ""oud""";7b;;3511AB;Utrecht;K7`,
      '',
    ].join('\r\n');

    const dry = await upload(`\uFEFF${csv}`, 'text/csv; charset=utf-8', 'dryRun=true');
    expect(dry.statusCode, dry.body).toBe(200);
    const dryReport = dry.json() as PersonImportReport;
    expect(dryReport).toMatchObject({ total: 7, imported: 0, wouldImport: 3, ignoredColumns: ['klantnummer'] });

    const before = await personCount();
    const res = await upload(csv, 'text/csv', 'dryRun=false');
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json() as PersonImportReport;
    expect(report).toMatchObject({ total: 7, imported: 3, wouldImport: 3 });
    expect(report.skipped).toEqual([
      { row: 6, reasons: [expect.stringMatching(/invalid birth date "01-01-2999"/)] },
      { row: 7, reasons: expect.arrayContaining([expect.stringMatching(/missing last name/), expect.stringMatching(/invalid postcode "12345"/)]) },
    ]);
    expect(report.duplicates.map((d) => ({ row: d.row, ofRow: d.ofRow }))).toEqual([
      { row: 4, ofRow: 2 },
      { row: 5, ofRow: undefined },
    ]);
    expect(report.duplicates[0]!.reasons[0]).toMatch(/likely duplicate of row 2 in this file \(same e-mail address\)/);
    expect(report.duplicates[1]!.existing.map((e) => e.id)).toEqual([existing.json().id]);
    expect(await personCount()).toBe(before + 3);

    const [anna] = await orm.em.fork().execute<{ street: string; postcode: string; birth_date: string }[]>(
      `select street, postcode, birth_date::text as birth_date from persons where office_id = ? and last_name = ?`,
      [office.officeId, `Csv${tag}a`],
    );
    expect(anna).toEqual({ street: 'Dorpsstraat; achterom', postcode: '2345AB', birth_date: '1990-04-12' });
    const [eva] = await orm.em.fork().execute<{ street: string; house_number: number; house_number_suffix: string }[]>(
      `select street, house_number, house_number_suffix from persons where office_id = ? and last_name = ?`,
      [office.officeId, `Csv${tag}e`],
    );
    expect(eva).toEqual({ street: 'Kerkstraat "oud"', house_number: 7, house_number_suffix: 'b' });
  }, 60_000);

  it('a file without a last-name column is refused whole (422, problem+json)', async () => {
    const res = await upload('naam,email\nJan,jan@example.nl\n', 'text/csv', 'dryRun=true');
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});

describe('OpenAPI', () => {
  it('documents the import and the campaign routes', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { paths: Record<string, unknown> };
    for (const path of ['/persons/imports', '/persons/imports/{id}', '/campaigns', '/campaigns/{id}', '/campaigns/{id}/{action}', '/persons/{id}/mail-opt-out']) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
  });
});
