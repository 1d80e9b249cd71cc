/**
 * Person import (admins, issue #6 part 4): a CSV or XLSX file as the request body, validated row
 * by row; a dry run reports without importing. The import runs inside the request (files up to
 * 10,000 rows / 10 MB) and updates its progress row per batch, which GET /persons/imports/:id
 * reads meanwhile (from another request).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../../plugins/auth.js';
import { HttpProblem } from '../../problem.js';
import { getPersonImport, importPersonsFile, MAX_ROWS, newImportId } from '../../../services/person-import/import.js';
import { IdParamsSchema, problemResponses } from '../../../services/shared/schemas.js';
import { PersonImportQuerySchema, PersonImportReportSchema, PersonImportStatusSchema } from '../../../services/person-import/schemas.js';

export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const roles = ['admin'] as const;

const personImportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Raw file bodies, only in this plugin (encapsulated).
  app.addContentTypeParser(['text/csv', XLSX], { parseAs: 'buffer', bodyLimit: MAX_IMPORT_BYTES }, (_req, body, done) => done(null, body));

  app.post(
    '/persons/imports',
    {
      bodyLimit: MAX_IMPORT_BYTES,
      config: { roles },
      schema: {
        tags: ['persons'],
        summary: 'Import persons from a CSV (; or ,) or XLSX file; dryRun=true only reports',
        description:
          `Header row with Dutch or English names: voornaam/firstName, tussenvoegsel/infix, achternaam/lastName, ` +
          `geboortedatum/birthDate (DD-MM-YYYY or YYYY-MM-DD), email, telefoon/phone, straat/street, huisnummer/houseNumber, ` +
          `toevoeging, postcode, woonplaats/city. Every row is checked on its own; a bad row never stops the rest. Likely ` +
          `duplicates (of an existing person or of an earlier row) are reported and never imported. At most ${MAX_ROWS} rows ` +
          `and 10 MB; the import runs in the request, its progress is readable at GET /persons/imports/{id} meanwhile ` +
          `(pass your own importId (a UUID) to poll it before the answer arrives; otherwise the id is in the answer).`,
        security: [{ bearer: [] }],
        querystring: PersonImportQuerySchema,
        consumes: ['text/csv', XLSX],
        response: { 200: PersonImportReportSchema, ...problemResponses(400, 401, 403, 409, 413, 415, 422) },
      },
    },
    async (request) => {
      const { officeId, credentialId } = principalOf(request);
      const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      const body = request.body;
      if (!Buffer.isBuffer(body) || body.length === 0) throw new HttpProblem(400, 'import-empty', 'Send the file as the request body (text/csv or .xlsx)');
      return importPersonsFile(
        app.deps.orm.em.fork(),
        { importId: request.query.importId ?? newImportId(), officeId, actor: credentialId, dryRun: request.query.dryRun === true, format: contentType === XLSX ? 'xlsx' : 'csv' },
        body,
        new Date(),
      );
    },
  );

  app.get(
    '/persons/imports/:id',
    {
      config: { roles },
      schema: {
        tags: ['persons'],
        summary: 'A person import: progress (processed of total, per batch) while it runs, the report when done',
        security: [{ bearer: [] }],
        params: IdParamsSchema,
        response: { 200: PersonImportStatusSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => getPersonImport(app.deps.orm.em.fork(), principalOf(request).officeId, request.params.id),
  );
};

export default personImportRoutes;
