/** Payloads of sign-in (*inloggen*), the session, invitations, user administration (*gebruikers*) and login notices. */
import { Type, type Static } from '@sinclair/typebox';
import { userRoles } from '../../domain/roles.js';
import { loginNoticeSeverities, userStatuses } from '../../domain/access/lists.js';
import { PASSWORD_MAX_LENGTH } from '../../domain/access/passwords.js';
import { InstantSchema, Nullable } from '../shared/schemas.js';

const Email = Type.String({ minLength: 3, maxLength: 254, format: 'email', description: 'e-mail address: the login' });
// Any length is accepted at sign-in (the rules apply when a password is set); the maximum bounds the hashing work.
const Password = Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH * 4, 'x-text': 'free', description: 'password (never logged nor stored; only its argon2id hash)' });
const UserRoleSchema = Type.Union(userRoles.map((r) => Type.Literal(r)), { description: 'adviser (adviseur), designer (procesontwerper), admin (beheerder)' });
const TotpCode = Type.String({ pattern: '^[0-9]{6}$', description: 'the 6-digit code of the authenticator app' });

export const SignInBodySchema = Type.Object(
  { email: Email, password: Password, totp: Type.Optional(TotpCode) },
  { additionalProperties: false },
);
export type SignInBody = Static<typeof SignInBodySchema>;

export const SessionSchema = Type.Object({
  userId: Nullable(Type.String({ format: 'uuid', description: 'the account; null when signed in with a bearer token' })),
  officeId: Type.String({ format: 'uuid' }),
  name: Nullable(Type.String()),
  email: Nullable(Type.String()),
  role: Type.String({ description: 'the primary role (the one role checks see first)' }),
  roles: Type.Array(Type.String(), { description: 'every role of the account (a bearer token: its one role)' }),
  totpEnabled: Type.Boolean(),
  csrfToken: Nullable(Type.String({ description: `send it as the x-csrf-token header on every POST, PUT, PATCH and DELETE made with the session cookie` })),
  expiresAt: Nullable(InstantSchema),
});
export type SessionView = Static<typeof SessionSchema>;

export const AcceptInvitationBodySchema = Type.Object(
  { token: Type.String({ minLength: 16, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' }), password: Password },
  { additionalProperties: false },
);

export const UserSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  email: Type.String(),
  name: Type.String(),
  roles: Type.Array(UserRoleSchema),
  status: Type.Union(userStatuses.map((s) => Type.Literal(s)), { description: 'invited (uitgenodigd), active (actief), disabled (geblokkeerd)' }),
  totpEnabled: Type.Boolean(),
  locked: Type.Boolean({ description: 'temporarily locked after repeated failed sign-ins' }),
  createdAt: InstantSchema,
});
export const UserListSchema = Type.Object({ items: Type.Array(UserSchema) });

export const InviteUserBodySchema = Type.Object(
  { email: Email, name: Type.String({ minLength: 1, maxLength: 200 }), roles: Type.Array(UserRoleSchema, { minItems: 1, maxItems: 3 }) },
  { additionalProperties: false },
);
export const InvitationSchema = Type.Object({
  user: UserSchema,
  invitationUrl: Type.String({ description: 'the one-time link for the invitee (shown once; only its hash is kept); the admin passes it on' }),
  expiresAt: InstantSchema,
});

export const UserParamsSchema = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
export const ChangeUserBodySchema = Type.Object(
  {
    roles: Type.Optional(Type.Array(UserRoleSchema, { minItems: 1, maxItems: 3 })),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const TotpEnrolmentSchema = Type.Object({ otpauthUri: Type.String({ description: 'otpauth:// URI with the secret, shown once (as a QR code or typed into the app)' }) });
export const TotpConfirmBodySchema = Type.Object({ code: TotpCode }, { additionalProperties: false });
export const TotpConfirmedSchema = Type.Object({ totpEnabled: Type.Literal(true) });

export const LoginNoticeSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  severity: Type.Union(loginNoticeSeverities.map((s) => Type.Literal(s)), { description: 'info (mededeling), maintenance (gepland onderhoud), outage (storing)' }),
  message: Type.String(),
  startsAt: InstantSchema,
  endsAt: InstantSchema,
});
export const LoginNoticeListSchema = Type.Object({ items: Type.Array(LoginNoticeSchema) });
export const NewLoginNoticeBodySchema = Type.Object(
  {
    severity: Type.Union(loginNoticeSeverities.map((s) => Type.Literal(s))),
    message: Type.String({ minLength: 1, maxLength: 500 }),
    startsAt: InstantSchema,
    endsAt: InstantSchema,
  },
  { additionalProperties: false },
);
