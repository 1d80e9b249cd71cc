/**
 * Sign-in of office users (*inloggen*) with a session cookie, the session, TOTP enrolment,
 * invitations and the admin's user administration (*gebruikers*), and login notices
 * (*meldingen op het inlogscherm*). The logic is in services/access/users.ts.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { principalOf } from '../../plugins/auth.js';
import { HttpProblem } from '../../problem.js';
import { refuse } from '../../../domain/errors.js';
import { isUserRole, primaryRole } from '../../../domain/roles.js';
import {
  acceptInvitation,
  changeUser,
  confirmTotp,
  cookieSecure,
  defaultSignInSettings,
  enrolTotp,
  inviteUser,
  listUsers,
  SESSION_COOKIE,
  sessionPrincipal,
  signIn,
  signOut,
} from '../../../services/access/users.js';
import { addLoginNotice, currentNotices, removeLoginNotice } from '../../../services/access/notices.js';
import { userById } from '../../../services/access/store.js';
import {
  AcceptInvitationBodySchema,
  ChangeUserBodySchema,
  InvitationSchema,
  InviteUserBodySchema,
  LoginNoticeListSchema,
  LoginNoticeSchema,
  NewLoginNoticeBodySchema,
  SessionSchema,
  SignInBodySchema,
  TotpConfirmBodySchema,
  TotpConfirmedSchema,
  TotpEnrolmentSchema,
  UserListSchema,
  UserParamsSchema,
  UserSchema,
} from '../../../services/access/users.schemas.js';
import { problemResponses } from '../../../services/shared/schemas.js';

/** The page of the web UI where an invitee sets a password; the token travels in the fragment. */
export const INVITATION_PAGE = '/ui/uitnodiging';
const users = ['adviser', 'designer', 'admin'] as const;

const accessRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const settings = app.deps.signIn ?? defaultSignInSettings;

  const cookieOptions = (request: FastifyRequest) => ({
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: cookieSecure(settings.secureCookie, request.protocol),
  });
  const clearCookie = (request: FastifyRequest, reply: FastifyReply) => reply.clearCookie(SESSION_COOKIE, cookieOptions(request));

  app.post(
    '/auth/sign-in',
    {
      // Public, and limited per client address (api/plugins/rate-limit.ts) on top of the per-account lockout.
      config: { public: true, partyLimit: true },
      schema: {
        tags: ['access'],
        summary: 'Sign in with e-mail and password (and the TOTP code when the account has one): sets the session cookie',
        description:
          'Answers the session (with its CSRF token) and sets the httpOnly session cookie. A wrong e-mail or password answers 401 `invalid-credentials` ' +
          'whether the account exists or not; an account with TOTP answers 401 `totp-required` without a code; after 5 failures in 15 minutes the account ' +
          'is locked for 15 minutes (429 `account-locked`, with `minutesLeft`).',
        security: [],
        body: SignInBodySchema,
        response: { 200: SessionSchema, ...problemResponses(401) },
      },
    },
    async (request, reply) => {
      const result = await signIn(app.deps.orm.em.fork(), request.body, new Date(), settings);
      if (!result.ok) {
        if (result.reason === 'locked') {
          throw new HttpProblem(429, 'account-locked', `Too many failed sign-ins: the account is locked; try again in ${result.minutesLeft} minutes`, { minutesLeft: result.minutesLeft }, {
            'retry-after': String(result.minutesLeft * 60),
          });
        }
        const detail = {
          'invalid-credentials': 'Unknown e-mail address or wrong password',
          'totp-required': 'This account needs the code of the authenticator app (totp)',
          'totp-invalid': 'Wrong authenticator code',
        }[result.reason];
        throw new HttpProblem(401, result.reason, detail);
      }
      reply.setCookie(SESSION_COOKIE, result.token, { ...cookieOptions(request), expires: result.expiresAt });
      reply.header('cache-control', 'no-store');
      const u = result.user;
      return {
        userId: u.id,
        officeId: u.office_id,
        name: u.name,
        email: u.email,
        role: primaryRole(u.roles.filter(isUserRole)),
        roles: u.roles,
        totpEnabled: u.totp_enabled,
        csrfToken: result.csrfToken,
        expiresAt: result.expiresAt.toISOString(),
      };
    },
  );

  app.post(
    '/auth/sign-out',
    {
      config: { roles: [...users] },
      schema: {
        tags: ['access'],
        summary: 'Sign out: ends the session of the cookie and clears it (with a bearer token: nothing to end)',
        security: [{ bearer: [] }, { session: [] }],
        response: { 204: { type: 'null', description: 'signed out' } },
      },
    },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token && !request.headers.authorization) await signOut(app.deps.orm.em.fork(), token);
      clearCookie(request, reply);
      return reply.code(204).send();
    },
  );

  app.get(
    '/auth/session',
    {
      config: { roles: [...users] },
      schema: {
        tags: ['access'],
        summary: 'Who is signed in: account, office, roles, and the CSRF token for unsafe requests with the session cookie',
        security: [{ bearer: [] }, { session: [] }],
        response: { 200: SessionSchema },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      reply.header('cache-control', 'no-store');
      const token = request.cookies[SESSION_COOKIE];
      if (!principal.user || !token || request.headers.authorization) {
        return { userId: null, officeId: principal.officeId, name: null, email: null, role: principal.role, roles: [principal.role], totpEnabled: false, csrfToken: null, expiresAt: null };
      }
      const em = app.deps.orm.em.fork();
      const session = await sessionPrincipal(em, token, new Date(), settings);
      const user = await userById(em, principal.user.userId);
      if (!session || !user) throw refuse.notFound('Session');
      return {
        userId: user.id,
        officeId: user.office_id,
        name: user.name,
        email: user.email,
        role: principal.role,
        roles: [...principal.user.roles],
        totpEnabled: user.totp_enabled,
        csrfToken: session.csrfToken,
        expiresAt: session.expiresAt.toISOString(),
      };
    },
  );

  app.post(
    '/auth/accept-invitation',
    {
      config: { public: true, partyLimit: true },
      schema: {
        tags: ['access'],
        summary: 'Accept an invitation: set the password with the token of the invitation link (once, within 7 days); then sign in',
        description: 'Password rules: at least 12 characters, not the e-mail address, not a well-known password.',
        security: [],
        body: AcceptInvitationBodySchema,
        response: { 200: UserSchema, ...problemResponses(404) },
      },
    },
    async (request) => acceptInvitation(app.deps.orm.em.fork(), request.body, new Date()),
  );

  app.post(
    '/auth/totp/enrol',
    {
      config: { roles: [...users] },
      schema: {
        tags: ['access'],
        summary: 'Start two-step verification (TOTP) for the signed-in account: the secret, shown once as an otpauth:// URI',
        security: [{ session: [] }],
        response: { 200: TotpEnrolmentSchema, ...problemResponses(404, 409) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return enrolTotp(app.deps.orm.em.fork(), principalOf(request));
    },
  );

  app.post(
    '/auth/totp/confirm',
    {
      config: { roles: [...users] },
      schema: {
        tags: ['access'],
        summary: 'Confirm two-step verification with a code of the app: from now on sign-in asks for the code',
        security: [{ session: [] }],
        body: TotpConfirmBodySchema,
        response: { 200: TotpConfirmedSchema, ...problemResponses(409) },
      },
    },
    async (request) => confirmTotp(app.deps.orm.em.fork(), principalOf(request), request.body.code, new Date()),
  );

  app.get(
    '/users',
    {
      config: { roles: ['admin'] },
      schema: { tags: ['access'], summary: "The office's user accounts (gebruikers)", security: [{ bearer: [] }, { session: [] }], response: { 200: UserListSchema } },
    },
    async (request) => ({ items: await listUsers(app.deps.orm.em.fork(), principalOf(request).officeId, new Date()) }),
  );

  app.post(
    '/users',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['access'],
        summary: 'Invite a user to the office: the account (status invited) and a one-time invitation link valid 7 days',
        description: 'The link is answered once (only its hash is kept); the admin passes it on to the invitee, who sets a password with it.',
        security: [{ bearer: [] }, { session: [] }],
        body: InviteUserBodySchema,
        response: { 201: InvitationSchema, ...problemResponses(409) },
      },
    },
    async (request, reply) => {
      const invited = await inviteUser(app.deps.orm.em.fork(), principalOf(request).officeId, request.body, new Date());
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({ user: invited.user, invitationUrl: `${INVITATION_PAGE}#${invited.invitationToken}`, expiresAt: invited.expiresAt.toISOString() });
    },
  );

  app.patch(
    '/users/:id',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['access'],
        summary: "Change a user's roles or status (active / disabled: a disabled user's sessions end at once)",
        security: [{ bearer: [] }, { session: [] }],
        params: UserParamsSchema,
        body: ChangeUserBodySchema,
        response: { 200: UserSchema, ...problemResponses(404, 409) },
      },
    },
    async (request) => changeUser(app.deps.orm.em.fork(), principalOf(request), request.params.id, request.body, new Date()),
  );

  app.get(
    '/login-notices',
    {
      config: { public: true },
      schema: {
        tags: ['access'],
        summary: 'Notices for the sign-in page (planned maintenance, outages): those not yet over',
        security: [],
        response: { 200: LoginNoticeListSchema },
      },
    },
    async () => ({ items: await currentNotices(app.deps.orm.em.fork(), null, new Date()) }),
  );

  app.post(
    '/login-notices',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['access'],
        summary: 'Announce a notice on the sign-in page and the dashboard, from startsAt until endsAt',
        security: [{ bearer: [] }, { session: [] }],
        body: NewLoginNoticeBodySchema,
        response: { 201: LoginNoticeSchema },
      },
    },
    async (request, reply) => reply.code(201).send(await addLoginNotice(app.deps.orm.em.fork(), principalOf(request).officeId, request.body)),
  );

  app.delete(
    '/login-notices/:id',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['access'],
        summary: 'Remove a notice of the office',
        security: [{ bearer: [] }, { session: [] }],
        params: UserParamsSchema,
        response: { 204: { type: 'null', description: 'removed' }, ...problemResponses(404) },
      },
    },
    async (request, reply) => {
      await removeLoginNotice(app.deps.orm.em.fork(), principalOf(request).officeId, request.params.id);
      return reply.code(204).send();
    },
  );
};

export default accessRoutes;
