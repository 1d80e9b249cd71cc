/**
 * What the live stream (`GET /events`, *live-updates*) carries: which kind of fact changed and
 * its ids, never personal data, so the web UI knows what to reload.
 */
import { Type, type Static } from '@sinclair/typebox';
import { literalUnion } from '../../domain/closed-list.js';

/** The facts that are pushed: a product's status history, a dossier, a task, a CRM signal, an HDN message, an invoice. */
export const liveEventKinds = ['product', 'dossier', 'task', 'signal', 'hdn_message', 'invoice'] as const;
export type LiveEventKind = (typeof liveEventKinds)[number];

const Uuid = Type.String({ format: 'uuid' });

export const LiveEventSchema = Type.Object(
  {
    kind: literalUnion(liveEventKinds, { description: 'which kind of fact changed' }),
    id: Type.String({ format: 'uuid', description: 'the id of the changed row (product, dossier, task, signal, HDN message, invoice)' }),
    dossierId: Type.Optional(Type.Union([Uuid, Type.Null()], { description: 'the dossier it belongs to, when it belongs to one' })),
    productId: Type.Optional(Type.Union([Uuid, Type.Null()], { description: 'the product it belongs to, when it belongs to one' })),
    personId: Type.Optional(Type.Union([Uuid, Type.Null()], { description: 'the person (relatie) it belongs to, when it belongs to one' })),
  },
  {
    $id: 'LiveEvent',
    additionalProperties: false,
    description:
      'One event of the live stream (the `data:` line of a server-sent event, as JSON): ids and kinds only, never personal data.',
  },
);
export type LiveEvent = Static<typeof LiveEventSchema>;

/** An event as it travels between processes (PostgreSQL NOTIFY): with the office it belongs to, which the stream filters on and never sends. */
export interface LiveFact extends LiveEvent {
  officeId: string;
}
