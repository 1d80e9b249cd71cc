/** Mail campaigns over a selection (DOMAIN process 8) and a person's mail opt-out. */
import { Type, type Static } from '@sinclair/typebox';
import { IdSchema, InstantSchema, Nullable } from '../shared/schemas.js';
import type { SelectionQuery } from '../selections/schemas.js';
import { campaignActions, campaignStatuses, recipientStatuses } from '../../domain/campaigns/campaign.js';


export const CampaignCreateSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S', examples: ['Woonlastenverzekering najaar'] }),
    template: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._-]+$', default: 'campaign-newsletter', description: 'key of a mail template', examples: ['campaign-newsletter'] }),
    query: Type.Unsafe<SelectionQuery>(Type.Ref('SelectionQuery')),
    batchSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50, description: 'mails per batch' })),
    batchIntervalSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600, default: 0, description: 'wait between batches (throttle)' })),
  },
  { additionalProperties: false },
);
export type CampaignCreate = Static<typeof CampaignCreateSchema>;

export const CampaignSchema = Type.Object({
  id: IdSchema,
  name: Type.String(),
  template: Type.String(),
  query: Type.Unsafe<SelectionQuery>(Type.Ref('SelectionQuery')),
  status: Type.Union(campaignStatuses.map((s) => Type.Literal(s)), { description: "running, paused, cancelled, completed (done)" }),
  total: Type.Integer(),
  sent: Type.Integer(),
  failed: Type.Integer(),
  skipped: Type.Integer({ description: 'opted out or no e-mail address' }),
  cancelled: Type.Integer(),
  pending: Type.Integer(),
  batchSize: Type.Integer(),
  batchIntervalSeconds: Type.Number(),
  workflowId: Type.String(),
  createdBy: Type.String(),
  createdAt: InstantSchema,
  updatedAt: InstantSchema,
});
export type Campaign = Static<typeof CampaignSchema>;

export const CampaignListSchema = Type.Object({ items: Type.Array(CampaignSchema), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() });

export const CampaignRecipientSchema = Type.Object({
  position: Type.Integer(),
  personId: IdSchema,
  name: Type.String(),
  dossierId: Nullable(IdSchema),
  status: Type.Union(recipientStatuses.map((s) => Type.Literal(s))),
  reason: Nullable(Type.String()),
  mailId: Nullable(IdSchema),
  updatedAt: InstantSchema,
});
export type CampaignRecipient = Static<typeof CampaignRecipientSchema>;

export const CampaignDetailSchema = Type.Object({
  campaign: CampaignSchema,
  recipients: Type.Object({ items: Type.Array(CampaignRecipientSchema), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() }),
});

export const CampaignDetailQuerySchema = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
    status: Type.Optional(Type.Union(recipientStatuses.map((s) => Type.Literal(s)))),
  },
  { additionalProperties: false },
);

export const CampaignActionParamsSchema = Type.Object(
  { id: IdSchema, action: Type.Union(campaignActions.map((a) => Type.Literal(a))) },
  { additionalProperties: false },
);

export const CampaignActionResultSchema = Type.Object({
  requested: Type.Union(campaignActions.map((a) => Type.Literal(a))),
  campaign: CampaignSchema,
  note: Type.String({ description: 'the workflow acts between batches: the status follows shortly' }),
});

export const MailOptOutSchema = Type.Object({ optOut: Type.Boolean() }, { additionalProperties: false });
export const MailOptOutResultSchema = Type.Object({ personId: IdSchema, mailOptOut: Type.Boolean() });
