/**
 * Security headers on every answer (@fastify/helmet), registered before auth so 401/403/404
 * problems carry them too, with a strict content security policy for the adviser web UI:
 * only its own scripts, styles, images and API (`'self'`), no inline script or style, no
 * plugins, no framing (`frame-ancestors 'none'`), forms and `<base>` only to itself.
 * test/browser/csp.browser.test.ts loads the UI pages in Chromium and fails on any violation.
 *
 * Two pages get their own policy: the Swagger UI at /docs (its bundle sets `<style>` elements,
 * and it shows data: images), and the portal activation page (one inline `<style>`, allowed by
 * its hash in api/routes/portal/index.ts).
 */
import helmet from '@fastify/helmet';
import type { FastifyInstance, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';

export const uiCspDirectives = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

// Swagger UI's bundle adds <style> elements at run time (seen in Chromium: style-src-elem
// violations from swagger-ui-bundle.js); scripts stay 'self' only.
const docsCspDirectives = {
  ...uiCspDirectives,
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
};

async function securityHeadersPlugin(app: FastifyInstance): Promise<void> {
  app.addHook('onRoute', (route: RouteOptions) => {
    if (route.url === '/docs' || route.url.startsWith('/docs/')) {
      route.helmet = { contentSecurityPolicy: { useDefaults: false, directives: docsCspDirectives } };
    }
  });
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: uiCspDirectives },
    // The API serves no cross-origin embeddable resources; keep helmet's other defaults
    // (nosniff, frameguard, referrer-policy no-referrer, HSTS, COOP/CORP, no x-powered-by).
    crossOriginEmbedderPolicy: false,
  });
}

export default fp(securityHeadersPlugin, { name: 'security-headers', fastify: '5.x' });
