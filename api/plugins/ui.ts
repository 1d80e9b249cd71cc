/**
 * The adviser web UI (ui/, built by `npm run build:ui` into ui/dist) served at /ui/, with
 * index.html for every client route below /ui/ that is not a file. `/` redirects to /ui/.
 *
 * GET /ui-config tells the UI how to sign in. It carries the demo adviser token ONLY when the
 * API runs with DEMO_UI_TOKEN set (settings `demoUiToken`, passed by api/server.ts as
 * `deps.ui.demoToken`; scripts/platform.ts sets it for the local `npm start` demo on a loopback
 * address); otherwise it is `{}` and the adviser pastes a token on the sign-in page.
 *
 * When ui/dist does not exist, /ui/ answers a 503 problem naming the build command (and the
 * API logs the same hint once at start): the API itself works without the UI.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { projectRoot } from '../../config/settings.js';
import { sendProblem } from './problem.js';

export interface UiPluginOptions {
  /** The built UI; default `<project>/ui/dist`. */
  distDir?: string;
  /** Demo adviser token handed to the UI (settings DEMO_UI_TOKEN); absent: none. */
  demoToken?: string;
}

export const uiDistDir = path.join(projectRoot, 'ui', 'dist');

async function uiPlugin(app: FastifyInstance, opts: UiPluginOptions): Promise<void> {
  const distDir = opts.distDir ?? uiDistDir;
  const demoToken = opts.demoToken;
  const built = existsSync(path.join(distDir, 'index.html'));

  app.get('/ui-config', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return { uiBuilt: built, ...(demoToken ? { demoToken } : {}) };
  });
  app.get('/', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => reply.redirect('/ui/'));
  app.get('/ui', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => reply.redirect('/ui/'));

  if (!built) {
    app.log.warn(`the web UI is not built (${distDir} is missing): run \`npm run build:ui\`; the API works without it`);
    const notBuilt = { config: { public: true }, schema: { hide: true } };
    const answer = (request: Parameters<typeof sendProblem>[0], reply: Parameters<typeof sendProblem>[1]) =>
      sendProblem(request, reply, 503, 'ui-not-built', `The web UI is not built: run \`npm run build:ui\` (it builds into ${distDir})`);
    app.get('/ui/', notBuilt, async (request, reply) => answer(request, reply));
    app.get('/ui/*', notBuilt, async (request, reply) => answer(request, reply));
    return;
  }

  await app.register(
    async (scope) => {
      // Every file of the UI is public (the UI holds no data; the API calls carry the token).
      scope.addHook('onRoute', (route) => {
        route.config = { ...(route.config ?? {}), public: true };
      });
      await scope.register(fastifyStatic, {
        root: distDir,
        prefix: '/',
        wildcard: true,
        index: ['index.html'],
        // Hashed asset names: cache them; index.html is revalidated (see setHeaders).
        maxAge: '1h',
        setHeaders: (res, filePath) => {
          if (filePath.endsWith('.html')) res.setHeader('cache-control', 'no-cache');
        },
      });
      // Client routes (/ui/dossiers/…): answer index.html; a missing asset stays a 404 problem.
      scope.setNotFoundHandler((request, reply) => {
        const wantsPage = (request.method === 'GET' || request.method === 'HEAD') && !/\.[a-z0-9]{1,8}$/i.test(request.url.split('?')[0] ?? '');
        if (!wantsPage) {
          return sendProblem(request, reply, 404, 'route-not-found', `No route ${request.method} ${request.url.split('?')[0]}`);
        }
        return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').sendFile('index.html');
      });
    },
    { prefix: '/ui' },
  );
}

export default fp(uiPlugin, { name: 'ui', fastify: '5.x' });
