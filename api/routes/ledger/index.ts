/**
 * The RC ledger (issue 21, seed 000): the central organisation's settings and participants,
 * postings (commission received, costs charged, reversals) and the overviews
 * (*saldo-overzicht RC deelnemers*): the participant's own (only when its central organisation
 * allows it) and the central organisation's of all its participants and of one. The office of
 * the credential decides everything: ids in paths only ever narrow within it.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../../plugins/auth.js';
import { addParticipant, setUpCentralOrganisation } from '../../../services/ledger/organisation.js';
import { centralOverview, ownOverview, participantOverview, rcRoleOf } from '../../../services/ledger/overview.js';
import { ownOverviewPdf, participantOverviewPdf } from '../../../services/ledger/overview-pdf.js';
import { sendDownload } from '../../download.js';
import { postCharge, postCommission, reverseEntry } from '../../../services/ledger/posting.js';
import { approvePayoutRequest, cancelPayoutRequest, getPayout, listPayouts, payoutFile, requestPayout } from '../../../services/ledger/payouts.js';
import {
  CentralOverviewSchema,
  ChargeSchema,
  CommissionSchema,
  OrganisationSettingsSchema,
  OverviewQuerySchema,
  ParticipantOverviewSchema,
  ParticipantSettingsSchema,
  PostedEntrySchema,
  PayoutListQuerySchema,
  PayoutListSchema,
  PayoutRequestSchema,
  PayoutSchema,
  RcRoleSchema,
  ReversalSchema,
  UuidParamsSchema,
} from '../../../services/ledger/schemas.js';
import { problemResponses } from '../../../services/shared/schemas.js';

const readers = ['adviser'] as const;
const admins = ['admin'] as const;
const tags = ['rc-ledger'];
const security = [{ bearer: [] }];

const ledgerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const em = () => app.deps.orm.em.fork();

  app.get(
    '/rc/role',
    {
      config: { roles: readers },
      schema: { tags, security, summary: "What this office is in the RC ledger: central organisation, participant or neither", response: { 200: RcRoleSchema, ...problemResponses(401, 403) } },
    },
    async (request) => rcRoleOf(em(), principalOf(request).officeId),
  );

  app.put(
    '/rc/organisation',
    {
      config: { roles: admins },
      schema: {
        tags,
        security,
        summary: 'Make this office a central organisation (its accounts and the pay-out category are made once), or change its bank account',
        body: OrganisationSettingsSchema,
        response: { 200: RcRoleSchema, ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (request) => {
      const officeId = principalOf(request).officeId;
      await setUpCentralOrganisation(em(), officeId, request.body);
      return rcRoleOf(em(), officeId);
    },
  );

  app.put(
    '/rc/participants/:id',
    {
      config: { roles: admins },
      schema: {
        tags,
        security,
        summary: "Add an office as a participant of this central organisation, or change its settings (whether it may see its RC overview, the central share, its IBAN)",
        params: UuidParamsSchema,
        body: ParticipantSettingsSchema,
        response: { 204: { type: 'null', description: 'saved' }, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await addParticipant(em(), principalOf(request).officeId, { officeId: request.params.id, ...request.body });
      return reply.code(204).send();
    },
  );

  app.post(
    '/rc/commissions',
    {
      config: { roles: admins },
      schema: {
        tags,
        security,
        summary: "Book commission received for a participant's product: the participant's share on its RC, the central share as revenue (once per reference)",
        body: CommissionSchema,
        response: { 200: PostedEntrySchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const p = principalOf(request);
      return postCommission(em(), p.officeId, { ...request.body, productType: request.body.productType ?? null, createdBy: p.credentialId });
    },
  );

  app.post(
    '/rc/charges',
    {
      config: { roles: admins },
      schema: {
        tags,
        security,
        summary: 'Charge a participant a cost (*kosten*) on its RC (once per reference)',
        body: ChargeSchema,
        response: { 200: PostedEntrySchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const p = principalOf(request);
      return postCharge(em(), p.officeId, { ...request.body, createdBy: p.credentialId });
    },
  );

  app.post(
    '/rc/entries/:id/reversal',
    {
      config: { roles: admins },
      schema: {
        tags,
        security,
        summary: 'Reverse a posted entry (*tegenboeking*): posted entries never change; a second call answers the first reversal',
        params: UuidParamsSchema,
        body: ReversalSchema,
        response: { 200: PostedEntrySchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const p = principalOf(request);
      return reverseEntry(em(), p.officeId, request.params.id, { entryDate: request.body.entryDate, createdBy: p.credentialId });
    },
  );

  app.get(
    '/rc/overview',
    {
      config: { roles: readers },
      schema: {
        tags,
        security,
        summary: "This participant's own RC overview (*saldo-overzicht*): balance, income and costs per category and the lines of the year or period",
        description: 'Only when its central organisation allows it (403 `rc-overview-hidden` otherwise); 404 for an office that is no participant.',
        querystring: OverviewQuerySchema,
        response: { 200: ParticipantOverviewSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => ownOverview(em(), principalOf(request).officeId, request.query),
  );

  app.get(
    '/rc/participants',
    {
      config: { roles: readers },
      schema: {
        tags,
        security,
        summary: "The central organisation's overview of all its participants: balances, income, costs, what to pay out and to claim",
        querystring: OverviewQuerySchema,
        response: { 200: CentralOverviewSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => centralOverview(em(), principalOf(request).officeId, request.query),
  );

  app.get(
    '/rc/participants/:id/overview',
    {
      config: { roles: readers },
      schema: {
        tags,
        security,
        summary: "The central organisation's view of one participant's RC overview (debit and credit per category, the lines)",
        params: UuidParamsSchema,
        querystring: OverviewQuerySchema,
        response: { 200: ParticipantOverviewSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => participantOverview(em(), principalOf(request).officeId, request.params.id, request.query),
  );

  const pdfResponse = { description: 'the overview as PDF', content: { 'application/pdf': { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) } } };
  const sendPdf = (reply: Parameters<typeof sendDownload>[0], pdf: { filename: string; content: Buffer }) =>
    sendDownload(reply, { contentType: 'application/pdf', filename: pdf.filename, sizeBytes: pdf.content.length, body: pdf.content });

  app.get(
    '/rc/overview/pdf',
    {
      config: { roles: readers },
      schema: {
        tags,
        security,
        summary: "This participant's own RC overview as PDF (only when its central organisation allows it)",
        querystring: OverviewQuerySchema,
        response: { 200: pdfResponse, ...problemResponses(401, 403, 404) },
      },
    },
    async (request, reply) => sendPdf(reply, await ownOverviewPdf(em(), principalOf(request).officeId, request.query, new Date())),
  );

  app.get(
    '/rc/participants/:id/overview/pdf',
    {
      config: { roles: readers },
      schema: {
        tags,
        security,
        summary: "A participant's RC overview as PDF (*uitbetalingsoverzicht*), to send along with its pay-out",
        params: UuidParamsSchema,
        querystring: OverviewQuerySchema,
        response: { 200: pdfResponse, ...problemResponses(401, 403, 404) },
      },
    },
    async (request, reply) => sendPdf(reply, await participantOverviewPdf(em(), principalOf(request).officeId, request.params.id, request.query, new Date())),
  );

  app.post(
    '/rc/participants/:id/payouts',
    {
      config: { roles: admins },
      schema: {
        tags,
        security,
        summary: "Request the pay-out of a participant's positive balance at the end of the period (*uitbetaling*); its process waits for approval",
        description: '409 when there is nothing to pay out, the participant has no IBAN, or a pay-out of it is still open.',
        params: UuidParamsSchema,
        body: PayoutRequestSchema,
        response: { 201: PayoutSchema, ...problemResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const payout = await requestPayout(em(), app.deps.temporal, p.officeId, request.params.id, {
        year: request.body.year,
        period: request.body.period ?? 'year',
        requestedBy: p.credentialId,
      });
      return reply.code(201).header('location', `/rc/payouts/${payout.id}`).send(payout);
    },
  );

  app.get(
    '/rc/payouts',
    {
      config: { roles: readers },
      schema: {
        tags,
        security,
        summary: "The central organisation's pay-outs, newest first (at most 200): all, one participant's, or those in one status (`requested`: waiting for approval)",
        querystring: PayoutListQuerySchema,
        response: { 200: PayoutListSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { participantOfficeId, status } = request.query;
      return listPayouts(em(), principalOf(request).officeId, { ...(participantOfficeId ? { participantOfficeId } : {}), ...(status ? { status } : {}) });
    },
  );

  app.get(
    '/rc/payouts/:id',
    {
      config: { roles: readers },
      schema: { tags, security, summary: 'A pay-out', params: UuidParamsSchema, response: { 200: PayoutSchema, ...problemResponses(401, 403, 404) } },
    },
    async (request) => getPayout(em(), principalOf(request).officeId, request.params.id),
  );

  app.post(
    '/rc/payouts/:id/approve',
    {
      config: { roles: admins },
      schema: {
        tags,
        security,
        summary: 'Approve a requested pay-out: booked from the RC to the intermediate account (*tussenrekening*), then the pain.001 is made',
        params: UuidParamsSchema,
        response: { 200: PayoutSchema, ...problemResponses(401, 403, 404, 409, 503) },
      },
    },
    async (request) => {
      const p = principalOf(request);
      return approvePayoutRequest(em(), app.deps.temporal, p.officeId, request.params.id, p.credentialId);
    },
  );

  app.post(
    '/rc/payouts/:id/cancel',
    {
      config: { roles: admins },
      schema: { tags, security, summary: 'Cancel a pay-out that is not approved yet', params: UuidParamsSchema, response: { 200: PayoutSchema, ...problemResponses(401, 403, 404, 409, 503) } },
    },
    async (request) => cancelPayoutRequest(em(), app.deps.temporal, principalOf(request).officeId, request.params.id),
  );

  app.get(
    '/rc/payouts/:id/pain001',
    {
      config: { roles: admins },
      schema: {
        tags,
        security,
        summary: 'The SEPA credit transfer file (pain.001.001.03) of an approved pay-out, for the bank',
        params: UuidParamsSchema,
        response: {
          200: { description: 'the pain.001 file', content: { 'application/xml': { schema: Type.String() } } },
          ...problemResponses(401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const file = await payoutFile(em(), principalOf(request).officeId, request.params.id);
      return reply.type('application/xml; charset=utf-8').header('content-disposition', `attachment; filename="${file.filename}"`).send(file.xml);
    },
  );
};

export default ledgerRoutes;
