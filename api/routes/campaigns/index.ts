/**
 * Mail campaigns (DOMAIN process 8): create over a selection, list, progress with the result per
 * recipient, pause / resume / cancel; and a person's mail opt-out, which every campaign respects
 * (at creation and again at send time).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../../plugins/auth.js';
import { createCampaign, getCampaign, listCampaigns, setMailOptOut, signalCampaign } from '../../../services/campaigns/campaigns.js';
import { IdParamsSchema, PagingQuerySchema, problemResponses } from '../../../services/shared/schemas.js';
import {
  CampaignActionParamsSchema,
  CampaignActionResultSchema,
  CampaignCreateSchema,
  CampaignDetailQuerySchema,
  CampaignDetailSchema,
  CampaignListSchema,
  CampaignSchema,
  MailOptOutResultSchema,
  MailOptOutSchema,
} from '../../../services/campaigns/schemas.js';
import { Type } from '@sinclair/typebox';

const roles = ['adviser'] as const;
const tags = ['campaigns'];

const campaignsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/campaigns',
    {
      config: { roles },
      schema: {
        tags,
        summary: 'Start a mail campaign over a selection (recipients frozen now; runs as workflow campaign:<id>)',
        description:
          'The `query` is the selection body of POST /selections/run (without paging). Each person once, with the newest ' +
          'dossier; persons who opted out or have no e-mail address are recorded as skipped with the reason. Mails go out in ' +
          'batches (`batchSize`, `batchIntervalSeconds` as throttle), each exactly once per person.',
        security: [{ bearer: [] }],
        body: CampaignCreateSchema,
        response: { 201: CampaignSchema, ...problemResponses(400, 401, 403, 422, 503) },
      },
    },
    async (request, reply) => {
      const campaign = await createCampaign(app.deps.orm.em.fork(), app.deps.temporal, principalOf(request), request.body);
      return reply.code(201).header('location', `/campaigns/${campaign.id}`).send(campaign);
    },
  );

  app.get(
    '/campaigns',
    {
      config: { roles },
      schema: {
        tags,
        summary: 'Campaigns of the office, newest first',
        security: [{ bearer: [] }],
        querystring: Type.Object(PagingQuerySchema, { additionalProperties: false }),
        response: { 200: CampaignListSchema, ...problemResponses(401, 403) },
      },
    },
    async (request) => {
      const { limit = 50, offset = 0 } = request.query;
      return { ...(await listCampaigns(app.deps.orm.em.fork(), principalOf(request).officeId, { limit, offset })), limit, offset };
    },
  );

  app.get(
    '/campaigns/:id',
    {
      config: { roles },
      schema: {
        tags,
        summary: 'A campaign: progress (counters, status) and the result per recipient, paged',
        security: [{ bearer: [] }],
        params: IdParamsSchema,
        querystring: CampaignDetailQuerySchema,
        response: { 200: CampaignDetailSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const { limit = 50, offset = 0, status } = request.query;
      return getCampaign(app.deps.orm.em.fork(), principalOf(request).officeId, request.params.id, { limit, offset, status });
    },
  );

  app.post(
    '/campaigns/:id/:action',
    {
      config: { roles },
      schema: {
        tags,
        summary: 'Pause, resume or cancel a campaign (acts after the current batch; cancel marks the rest cancelled)',
        security: [{ bearer: [] }],
        params: CampaignActionParamsSchema,
        response: { 202: CampaignActionResultSchema, ...problemResponses(401, 403, 404, 409, 503) },
      },
    },
    async (request, reply) => {
      const { id, action } = request.params;
      const campaign = await signalCampaign(app.deps.orm.em.fork(), app.deps.temporal, principalOf(request).officeId, id, action);
      return reply.code(202).send({ requested: action, campaign, note: 'The workflow acts after the current batch; GET /campaigns/:id shows the status.' });
    },
  );

  app.put(
    '/persons/:id/mail-opt-out',
    {
      config: { roles },
      schema: {
        tags: ['persons'],
        summary: "Set a person's mail opt-out (no campaign mails; also checked when a running campaign sends)",
        security: [{ bearer: [] }],
        params: IdParamsSchema,
        body: MailOptOutSchema,
        response: { 200: MailOptOutResultSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      await setMailOptOut(app.deps.orm.em.fork(), principalOf(request).officeId, request.params.id, request.body.optOut);
      return { personId: request.params.id, mailOptOut: request.body.optOut };
    },
  );
};

export default campaignsRoutes;
