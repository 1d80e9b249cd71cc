/** Client-portal activation link (*activatielink*) from the mail: public, token looked up by hash. */
import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { activatePortal } from '../../../services/portal/activation.js';
import { problemResponses } from '../../../services/shared/schemas.js';

const pageStyle = `body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1d2733}
h1{font-size:1.5rem;color:#0b5394}`;
/** The page's one inline style, allowed by its hash; nothing else (api/plugins/security-headers.ts). */
const pageCsp = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(pageStyle).digest('base64')}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

const page = (title: string, text: string): string => `<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
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
        summary: 'Activate the client portal with the token from the activation mail',
        security: [],
        params: Type.Object({ token: Type.String({ minLength: 16, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' }) }, { additionalProperties: false }),
        response: { 200: { description: 'HTML page', content: { 'text/html': { schema: Type.String({ description: 'HTML page' }) } } }, ...problemResponses(404) },
      },
      // a wrong token format is just an unknown link: answer 404 below, not a validation 400
      attachValidation: true,
    },
    async (request, reply) => {
      // A malformed token is just an unknown link: answered like one.
      await activatePortal(app.deps.orm.em.fork(), request.validationError ? '' : request.params.token);
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('referrer-policy', 'no-referrer')
        .header('content-security-policy', pageCsp)
        .send(page('Uw klantportaal is geactiveerd', 'Dank u wel. Uw adviseur ziet dat u het portaal heeft geactiveerd; u kunt nu uw documenten aanleveren.'));
    },
  );
};

export default portalRoutes;
