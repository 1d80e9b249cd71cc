/** Privacy (GDPR, DOMAIN process 9): anonymisation, deletion and their audit records. */
import { Type, type Static } from '@sinclair/typebox';
import { IdSchema, InstantSchema, Nullable } from '../shared/schemas.js';
import { privacyActions } from '../../domain/privacy/audit.js';

const Counts = Type.Record(Type.String(), Type.Integer({ minimum: 0 }), {
  description: 'rows changed per table (never a personal value)',
});

export const AnonymiseResultSchema = Type.Object(
  {
    personId: IdSchema,
    auditId: Type.String({ description: 'the privacy_audit record of the (first) anonymisation' }),
    anonymisedAt: InstantSchema,
    alreadyAnonymised: Type.Boolean({ description: 'true: an earlier call did it; nothing changed now' }),
    changes: Counts,
  },
  { $id: 'AnonymiseResult' },
);
export type AnonymiseResultView = Static<typeof AnonymiseResultSchema>;

export const DeletePersonResultSchema = Type.Object({
  personId: IdSchema,
  auditId: Type.String(),
  dossiersLeft: Type.Array(IdSchema, { description: 'dossiers that stay, now without this applicant' }),
});

/** 409 when something is still linked: counts per kind and the person's dossiers. */
export const PersonLinkedProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.String(),
    linked: Type.Record(Type.String(), Type.Integer()),
    dossiers: Type.Array(IdSchema),
  },
  { additionalProperties: true },
);

export const PrivacyAuditSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      personId: Type.String(),
      action: Type.Union(privacyActions.map((a) => Type.Literal(a))),
      actor: Type.String({ description: 'credential id of who did it' }),
      at: InstantSchema,
      changes: Counts,
      dossierId: Nullable(Type.String({ description: 'advice_export: the dossier whose client data was exported' })),
    }),
  ),
});

export type PrivacyAudit = Static<typeof PrivacyAuditSchema>;

export const PrivacyAuditQuerySchema = Type.Object(
  { personId: Type.Optional(IdSchema), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) },
  { additionalProperties: false },
);

/** Before anonymising or deleting: the person's dossiers and linked data, counted as deletion counts them. */
export const PrivacyPreviewSchema = Type.Object(
  {
    personId: IdSchema,
    anonymised: Type.Boolean(),
    anonymisedAt: Nullable(InstantSchema),
    dossiers: Type.Object(
      {
        sole: Type.Integer({ minimum: 0, description: 'dossiers where the person is the only applicant' }),
        shared: Type.Integer({ minimum: 0, description: 'dossiers shared with a co-applicant (they stay, without this person, on deletion)' }),
      },
      { additionalProperties: false },
    ),
    linked: Type.Record(Type.String(), Type.Integer({ minimum: 0 }), {
      description: 'linked data per kind that blocks deletion (zero counts left out), as the 409 of DELETE /persons/:id names it',
    }),
    deletable: Type.Boolean({ description: 'true when nothing is linked: DELETE /persons/:id would succeed now' }),
  },
  { additionalProperties: false },
);
