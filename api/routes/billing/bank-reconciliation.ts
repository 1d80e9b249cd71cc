/**
 * The reconciliation of bank imports: what each file booked, what it could not match and why,
 * and the adviser's match by hand of an unmatched item (audited, then booked and delivered
 * exactly like an automatic match). JSON routes, outside the XML-only context of the import.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { getBankImport, listBankImports, matchBankImportItem } from '../../../services/billing/bank-reconciliation.js';
import { principalOf } from '../../plugins/auth.js';
import {
  BankImportDetailSchema,
  BankImportListSchema,
  BankImportQuerySchema,
  BankItemMatchResultSchema,
  BankItemMatchSchema,
} from '../../../services/billing/schemas.js';
import { IdParamsSchema, IdSchema, problemResponses, ref } from '../../../services/shared/schemas.js';

const roles = ['adviser'] as const;
const security = [{ bearer: [] }];

const bankReconciliationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/billing/bank-imports',
    {
      config: { roles },
      schema: {
        tags: ['billing'],
        summary: 'The bank files imported (camt.053, camt.054, pain.002), newest first, with their booked and unmatched counts',
        security,
        querystring: BankImportQuerySchema,
        response: { 200: BankImportListSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => listBankImports(app.deps.orm.em.fork(), principalOf(request).officeId, request.query),
  );

  app.get(
    '/billing/bank-imports/:id',
    {
      config: { roles },
      schema: {
        tags: ['billing'],
        summary: 'The reconciliation of one bank file: every transaction, batch or reject, with what was booked on which invoices, or why not',
        description:
          'One item per TxDtls of an entry (or per entry without TxDtls), per batch credit (NtryDtls/Btch: transaction -1; its ' +
          'collections are booked each on its invoice, listed in invoiceIds and bookingIds), and per reject of a pain.002. ' +
          '`outcome`: booked; already_booked (an earlier file carried the same fact: nothing booked twice); unmatched (parked ' +
          'with `reason`, nothing booked; `matchable` ones can be matched by hand); matched_by_hand (with who, when and the note).',
        security,
        params: IdParamsSchema,
        response: { 200: ref(BankImportDetailSchema), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => getBankImport(app.deps.orm.em.fork(), principalOf(request).officeId, request.params.id),
  );

  app.post(
    '/billing/bank-imports/:id/items/:itemId/match',
    {
      config: { roles },
      schema: {
        tags: ['billing'],
        summary: 'Match an unmatched item of a bank file to an invoice by hand',
        description:
          'The item is booked on the invoice exactly as an automatic match would book it (a credit as a payment, a return as a ' +
          'reversal, a reject as a rejection; the bank\'s amount and date, the same booking key), then the invoice\'s process is ' +
          'told. The match is recorded on the item: who, when, which invoice, the note. 409: the item is not unmatched (any ' +
          'more), or cannot be matched (a batch credit, an entry not booked by the bank, a debit that is no return). A return or ' +
          'reject without a reason code needs `reasonCode`. 503: matched and stored, the process is told later (POST /billing/deliveries).',
        security,
        params: Type.Object({ id: IdSchema, itemId: IdSchema }, { additionalProperties: false }),
        body: ref(BankItemMatchSchema),
        response: { 200: BankItemMatchResultSchema, ...problemResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) =>
      matchBankImportItem(app.deps.orm.em.fork(), app.deps.temporal, principalOf(request), request.params.id, request.params.itemId, request.body),
  );
};

export default bankReconciliationRoutes;
