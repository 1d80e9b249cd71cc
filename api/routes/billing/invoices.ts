/** Invoices, their PDF, booking lines by hand (payment, storno) and re-delivery of owed signals. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { createBooking, reverseBooking } from '../../../services/billing/bookings.js';
import { redeliverOffice } from '../../../services/billing/delivery.js';
import { getInvoice, getInvoicePdf, listInvoices } from '../../../services/billing/invoices.js';
import { principalOf } from '../../plugins/auth.js';
import {
  BookingCreateSchema,
  BookingPatchSchema,
  BookingResultSchema,
  InvoiceListQuerySchema,
  InvoiceListSchema,
  InvoiceSchema,
  RedeliveryResultSchema,
} from '../../../services/billing/schemas.js';
import { IdParamsSchema, problemResponses, ref } from '../../../services/shared/schemas.js';
import { sendDownload } from '../../download.js';

const roles = ['adviser'] as const;
const security = [{ bearer: [] }];
const stornoNote =
  "The line is stored first, then the invoice's process is told and its status follows at once. 503: the line is " +
  'stored but the process was not told yet; POST /billing/deliveries tells it later.';

const invoiceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/invoices',
    {
      config: { roles },
      schema: {
        tags: ['billing'],
        summary: "The office's invoices, newest first",
        security,
        querystring: InvoiceListQuerySchema,
        response: { 200: InvoiceListSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => listInvoices(app.deps.orm.em.fork(), principalOf(request).officeId, request.query),
  );

  app.get(
    '/invoices/:id',
    {
      config: { roles },
      schema: {
        tags: ['billing'],
        summary: 'An invoice with its lines, booking lines and reminder history',
        security,
        params: IdParamsSchema,
        response: { 200: ref(InvoiceSchema), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => getInvoice(app.deps.orm.em.fork(), principalOf(request).officeId, request.params.id),
  );

  app.get(
    '/invoices/:id/pdf',
    {
      config: { roles },
      schema: {
        tags: ['billing'],
        summary: 'The stored invoice PDF',
        security,
        params: IdParamsSchema,
        response: {
          200: { description: 'the invoice PDF', content: { 'application/pdf': { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) } } },
          ...problemResponses(401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const doc = await getInvoicePdf(app.deps.orm.em.fork(), principalOf(request).officeId, request.params.id);
      return sendDownload(reply, { contentType: doc.contentType, filename: doc.filename, sizeBytes: doc.content.length, sha256: doc.sha256, body: doc.content });
    },
  );

  app.post(
    '/invoices/:id/bookings',
    {
      config: { roles },
      schema: {
        tags: ['billing'],
        summary: 'Book a payment or a reversal (storno) on an invoice by hand',
        description:
          `A reversal needs its SEPA reasonCode (e.g. MD06) and takes back the invoice's last collection (409 when it was never ` +
          `collected: reverse the payment's own line instead). An amount above the office's plausibility limit ` +
          `(manualBookingLimitFactor × total + costs, GET /billing/settings) needs confirmAmountCents equal to amountCents; ` +
          `without it: 422 naming that field, nothing stored. ${stornoNote}`,
        security,
        params: IdParamsSchema,
        body: ref(BookingCreateSchema),
        response: { 201: BookingResultSchema, ...problemResponses(400, 401, 403, 404, 409, 422, 503) },
      },
    },
    async (request, reply) => {
      const outcome = await createBooking(app.deps.orm.em.fork(), app.deps.temporal, principalOf(request), request.params.id, request.body);
      return reply.code(201).send(outcome);
    },
  );

  app.patch(
    '/bookings/:id',
    {
      config: { roles },
      schema: {
        tags: ['billing'],
        summary: 'Turn a payment or collection line into a reversal (the storno by hand)',
        description: stornoNote,
        security,
        params: IdParamsSchema,
        body: ref(BookingPatchSchema),
        response: { 200: BookingResultSchema, ...problemResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) => reverseBooking(app.deps.orm.em.fork(), app.deps.temporal, principalOf(request), request.params.id, request.body),
  );

  app.post(
    '/billing/deliveries',
    {
      config: { roles },
      schema: {
        tags: ['billing'],
        summary: 'Tell the invoice processes everything still owed (after the process engine was down)',
        description:
          'Booking lines and SEPA exports are stored before their invoice processes are told. When the engine was down ' +
          'those signals are owed; this sends them, oldest first, and marks each as delivered.',
        security,
        response: { 200: RedeliveryResultSchema, ...problemResponses(401, 403, 503) },
      },
    },
    async (request) => redeliverOffice(app.deps.orm.em.fork(), app.deps.temporal, principalOf(request).officeId),
  );
};

export default invoiceRoutes;
