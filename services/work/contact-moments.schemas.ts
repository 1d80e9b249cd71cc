/** Payloads of the contact log (*contactmomenten*) read routes. */
import { Type, type Static } from '@sinclair/typebox';
import { literalUnion } from '../../domain/closed-list.js';
import { mailStatuses, taskStatuses } from '../../domain/work/items.js';
import { IdSchema, InstantSchema, Nullable, PagingQuerySchema } from '../shared/schemas.js';

export const DossierContactMomentQuerySchema = Type.Object(
  { productId: Type.Optional(IdSchema), ...PagingQuerySchema },
  { additionalProperties: false },
);
export const PersonContactMomentQuerySchema = Type.Object({ ...PagingQuerySchema }, { additionalProperties: false });

export const ContactMomentSchema = Type.Object({
  id: IdSchema,
  dossierId: IdSchema,
  dossierNumber: Type.String({ description: 'dossier number, e.g. 2026-000012' }),
  productId: IdSchema,
  productType: Type.String({ description: 'product type code, e.g. service' }),
  productCompany: Nullable(Type.String()),
  at: InstantSchema,
  channel: Type.String({ description: 'kanaal: telefoon, gesprek, e-mail, video, overig' }),
  summary: Nullable(Type.String({ description: 'verslag (redacted after anonymisation)' })),
  registeredBy: Type.Object(
    { actor: Type.String({ description: 'the credential id (or system actor) that ran the step' }), name: Nullable(Type.String({ description: "the credential's name, if it is one of the office" })) },
    { description: 'who registered the contact moment' },
  ),
  reportMails: Type.Array(
    Type.Object({ id: IdSchema, subject: Type.String(), status: literalUnion(mailStatuses) }),
    { description: 'the conversation report mailed in the same step, one per recipient (empty when none was sent)' },
  ),
  followUpTask: Nullable(
    Type.Object({ id: IdSchema, title: Type.String(), status: literalUnion(taskStatuses), dueDate: Nullable(Type.String({ format: 'date' })) }),
  ),
});
export type ContactMomentItem = Static<typeof ContactMomentSchema>;

export const ContactMomentListSchema = Type.Object({
  items: Type.Array(ContactMomentSchema),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});
