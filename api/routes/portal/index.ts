/**
 * The client portal (*klantportaal*): the activation link from the mail (public, token looked up
 * by hash) leads into the portal page of the web UI, which exchanges the link's token for a
 * short-lived portal session (`POST /portal/sessions`, role `client`); with it the client reads
 * their own checklist and attaches their uploads.
 */
import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { principalOf } from '../../plugins/auth.js';
import { activatePortal } from '../../../services/portal/activation.js';
import { openPortalSession } from '../../../services/portal/sessions.js';
import { attachUploadToLine, portalChecklist } from '../../../services/work/checklist-lines.js';
import {
  AttachUploadBodySchema,
  ChecklistLineSchema,
  OpenPortalSessionBodySchema,
  PortalChecklistSchema,
  PortalLineParamsSchema,
  PortalSessionSchema,
} from '../../../services/work/checklist.schemas.js';
import { problemResponses } from '../../../services/shared/schemas.js';

/** The portal page of the web UI; the token travels in the fragment (never sent to a server, nor in a Referer). */
export const PORTAL_PAGE = '/ui/portal';

const pageStyle = `body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1d2733}
h1{font-size:1.5rem;color:#0b5394}`;
/** The page's one inline style, allowed by its hash; nothing else (api/plugins/security-headers.ts). */
const pageCsp = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(pageStyle).digest('base64')}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

/** The page; `next` (a same-origin path) is opened at once by a meta refresh (no script needed under the CSP). */
const page = (title: string, text: string, next: string): string => `<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="0; url=${next}">
<title>${title}</title>
<style>${pageStyle}</style></head>
<body><h1>${title}</h1><p>${text}</p></body></html>
`;

const portalRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/portal/activate/:token',
    {
      // Public, so limited per client address (api/plugins/rate-limit.ts): guessing links costs.
      config: { public: true, partyLimit: true },
      schema: {
        tags: ['portal'],
        summary: 'Activate the client portal with the token from the activation mail: on to the portal page',
        description: `A valid link answers a page that goes on at once to ${PORTAL_PAGE}#<token> (the portal page of the web UI), which opens a portal session with it (POST /portal/sessions).`,
        security: [],
        params: Type.Object({ token: Type.String({ minLength: 16, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' }) }, { additionalProperties: false }),
        response: { 200: { description: 'HTML page', content: { 'text/html': { schema: Type.String({ description: 'HTML page' }) } } }, ...problemResponses(404) },
      },
      // a wrong token format is just an unknown link: answer 404 below, not a validation 400
      attachValidation: true,
    },
    async (request, reply) => {
      // A malformed token is just an unknown link: answered like one (404 problem).
      const token = request.validationError ? '' : request.params.token;
      await activatePortal(app.deps.orm.em.fork(), token);
      const portal = `${PORTAL_PAGE}#${token}`;
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('referrer-policy', 'no-referrer')
        .header('content-security-policy', pageCsp)
        .send(
          page(
            'Uw klantportaal is geactiveerd',
            `Dank u wel. U gaat nu naar uw documenten. Gebeurt dat niet, <a href="${portal}">open dan uw documenten</a>.`,
            portal,
          ),
        );
    },
  );

  app.post(
    '/portal/sessions',
    {
      // Public (the link is the credential), limited per client address like the link itself.
      config: { public: true, partyLimit: true },
      schema: {
        tags: ['portal'],
        summary: 'Open a portal session with the token of the activation link: a bearer token (role client) valid 30 minutes',
        description: 'Open the link again (or post its token again) for a new session once it expired.',
        security: [],
        body: OpenPortalSessionBodySchema,
        response: { 201: PortalSessionSchema, ...problemResponses(404) },
      },
    },
    async (request, reply) => {
      const opened = await openPortalSession(app.deps.orm.em.fork(), request.body.token, new Date());
      return reply.code(201).header('cache-control', 'no-store').send({ ...opened, expiresAt: opened.expiresAt.toISOString() });
    },
  );

  app.get(
    '/portal/checklist',
    {
      config: { roles: ['client'] },
      schema: {
        tags: ['portal'],
        summary: "The client's own document checklist (of the session's dossier), with each line's status and rejection reason",
        security: [{ bearer: [] }],
        response: { 200: PortalChecklistSchema, ...problemResponses(404) },
      },
    },
    async (request) => portalChecklist(app.deps.orm.em.fork(), principalOf(request), new Date()),
  );

  app.post(
    '/portal/checklist/lines/:lineId/files',
    {
      config: { roles: ['client'] },
      schema: {
        tags: ['portal'],
        summary: 'Attach a completed upload (POST /uploads with this portal session) to a line of the own checklist',
        description: "A line of another client's checklist is refused 403.",
        security: [{ bearer: [] }],
        params: PortalLineParamsSchema,
        body: AttachUploadBodySchema,
        response: { 200: ChecklistLineSchema, ...problemResponses(404, 409) },
      },
    },
    async (request) => attachUploadToLine(app.deps.orm.em.fork(), principalOf(request), { itemId: request.params.lineId, uploadId: request.body.uploadId }, new Date()),
  );
};

export default portalRoutes;
