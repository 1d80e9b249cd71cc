/**
 * POST /billing/bank-imports, in its own encapsulated context: it takes XML only (the JSON
 * parser is removed here, so a JSON body is a 415), up to 20 MiB.
 */
import { defaultSepaParseLimits } from '../../../integrations/sepa/xml-read.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError } from 'fastify';
import { HttpProblem } from '../../problem.js';
import { importBankFile } from '../../../services/billing/bank-import.js';
import { principalOf } from '../../plugins/auth.js';
import { acceptXmlBodies, enforcePartyBodyLimit, xmlBodyOf, xmlBodyValidator } from '../../plugins/xml-body.js';
import { BankImportResultSchema, BankXmlBodySchema } from '../../../services/billing/schemas.js';
import { problemResponses, ref } from '../../../services/shared/schemas.js';

/** A month of statements of a busy office fits easily; camt.ts refuses more as well. */
export const BANK_BODY_LIMIT = 20 * 1024 * 1024;

const bankImportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Body-parsing failures get a readable detail; rethrown as HttpProblem they still reach the
  // app's problem plugin, which writes every problem+json answer.
  app.setErrorHandler((error: FastifyError) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      throw new HttpProblem(
        413,
        'body-too-large',
        `Request body is too large: a bank file may be at most ${BANK_BODY_LIMIT / (1024 * 1024)} MiB; nothing was stored`,
      );
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      throw new HttpProblem(415, 'unsupported-media-type', `${error.message}; send the camt file as application/xml or text/xml`);
    }
    throw error;
  });

  acceptXmlBodies(app, BANK_BODY_LIMIT, defaultSepaParseLimits);
  const { bodyLimits } = app.deps.xml;
  enforcePartyBodyLimit(app, () => ({ bytes: bodyLimits.bankFile, setting: 'XML_BODY_LIMIT_BANK_FILE', what: 'a bank file' }));

  app.post(
    '/billing/bank-imports',
    {
      bodyLimit: BANK_BODY_LIMIT,
      ...xmlBodyValidator,
      // Bank files: the per-credential party rate limit (api/plugins/rate-limit.ts).
      config: { roles: ['adviser'], partyLimit: true },
      schema: {
        tags: ['billing'],
        summary: 'Import a bank statement (camt.053), notification (camt.054) or status report (pain.002): collections, payments, returns and rejects',
        description:
          'camt.053/.054 in .001.02 or .001.08, one or several Stmt/Ntfctn; pain.002 in .001.03 or .001.10. The whole file is ' +
          'checked first: a malformed or unsupported file answers 400, a statement of another account than the office\'s ' +
          'creditor account (or a pain.002 about a file that is not one of the office\'s exports) 422, no creditor set 409; ' +
          'nothing is stored then. Every transaction is matched: a batch credit (NtryDtls/Btch with PmtInfId or MsgId) books ' +
          'each collection of that PmtInf when count and total are exactly what we exported (less what the bank rejected ' +
          'before settlement), using its TxDtls when present; else it is parked with the reason. A credit with the ' +
          'EndToEndId of one of our collections books a collection; a credit whose remittance names one invoice number ' +
          'books a payment; a returned collection books a reversal with its reason code; a pain.002 reject books a rejection ' +
          '(no money moved; the invoice follows the storno policy). Each collection is credited, returned and rejected once, ' +
          'whichever file says so. The rest is listed in `unmatched` with the reason (GET /billing/bank-imports/{id} shows ' +
          'every item; unmatched ones can be matched by hand). The file, its bookings and the result are stored in one ' +
          'transaction, then the invoice processes are told. The same file again answers 200 with the first result and ' +
          '`duplicate: true` (nothing booked). 503: stored, but the invoice processes were not told yet; send the same ' +
          'file again to tell them.',
        security: [{ bearer: [] }],
        consumes: ['application/xml', 'text/xml'],
        body: BankXmlBodySchema,
        response: {
          200: ref(BankImportResultSchema),
          201: ref(BankImportResultSchema),
          ...problemResponses(400, 401, 403, 409, 413, 415, 422, 503),
        },
      },
    },
    async (request, reply) => {
      const { result, created } = await importBankFile(app.deps.orm.em.fork(), app.deps.temporal, principalOf(request), xmlBodyOf(request), app.deps.xml.pool);
      return reply.code(created ? 201 : 200).send(result);
    },
  );
};

export default bankImportRoutes;
