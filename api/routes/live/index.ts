/**
 * Live updates (*live-updates*): `GET /events` is a server-sent event stream of the caller's
 * office. Each event says which fact changed (kind and ids, services/live/schemas.ts); the web UI
 * reloads what shows it. The events come from PostgreSQL NOTIFY (services/live/), written in the
 * transaction of the fact by whichever process recorded it.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { DomainError } from '../../../domain/errors.js';
import { principalOf } from '../../plugins/auth.js';
import { LiveHub } from '../../../services/live/hub.js';
import { LiveEventSchema, type LiveEvent } from '../../../services/live/schemas.js';
import { problemResponses } from '../../../services/shared/schemas.js';

const roles = ['adviser'] as const;
const DEFAULT_KEEP_ALIVE_MS = 25_000;
/** How long a browser waits before it reconnects after the stream ended (the SSE `retry:` field). */
const RETRY_MS = 3_000;

const liveRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // The app's own hub is made on the first stream: building the app (the OpenAPI script, tests)
  // touches no database.
  let ownHub: LiveHub | undefined;
  const hub = (): LiveHub => {
    if (app.deps.live?.hub) return app.deps.live.hub;
    ownHub ??= new LiveHub(String(app.deps.orm.config.get('clientUrl')), app.log);
    return ownHub;
  };
  /** The open streams' endings: closing the app ends them before the server waits for its connections. */
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });
  app.addHook('onClose', async () => {
    await ownHub?.close();
  });

  app.get(
    '/events',
    {
      config: { roles, eventStream: true },
      schema: {
        tags: ['live'],
        summary: 'Live updates of the office as server-sent events (what changed: kind and ids, never personal data)',
        security: [{ bearer: [] }],
        description:
          'An endless `text/event-stream`. Each event is `event: change` with one `data:` line, a LiveEvent as JSON ' +
          '(`{"kind":"product","id":…,"dossierId":…}`). Lines starting with `:` are keep-alive comments. Only events of ' +
          "the caller's office are sent. Events are not replayed: after a reconnect, reload what is on screen.",
        response: {
          200: {
            description: 'the stream of LiveEvent objects',
            content: { 'text/event-stream': { schema: Type.Unsafe<LiveEvent>(Type.Ref(LiveEventSchema.$id!)) } },
          },
          ...problemResponses(503),
        },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const res = reply.raw;
      let ended = false;
      let started = false;
      // Set below; `end` may run before either is (the hub ends while subscribing).
      const held: { unsubscribe?: () => void; keepAlive?: ReturnType<typeof setInterval> } = {};
      const end = () => {
        if (ended) return;
        ended = true;
        clearInterval(held.keepAlive);
        held.unsubscribe?.();
        open.delete(end);
        if (started && !res.writableEnded) res.end();
      };
      const write = (text: string) => {
        if (!ended && !res.writableEnded) res.write(text);
      };
      // Listened for before subscribing: a browser gone while the LISTEN is set up leaves nothing behind.
      res.on('close', end);
      // Subscribed (LISTEN in place) before the answer starts: a refusal is still a problem+json.
      held.unsubscribe = await hub().subscribe(principal.officeId, {
        event: (event) => write(`event: change\ndata: ${JSON.stringify(event)}\n\n`),
        end,
      });
      if (ended) {
        held.unsubscribe();
        if (res.destroyed) return reply.hijack();
        throw new DomainError('unavailable', 'live-unavailable', 'The live stream lost its database connection; try again');
      }
      open.add(end);
      reply.hijack();
      started = true;
      res.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-accel-buffering': 'no',
        // Never reused: when the stream ends (app closing, hub lost) the socket goes with it, so a
        // graceful shutdown does not wait for a kept-alive connection.
        connection: 'close',
        'x-request-id': request.id,
      });
      res.flushHeaders();
      write(`retry: ${RETRY_MS}\n: live\n\n`);
      held.keepAlive = setInterval(() => write(': keep-alive\n\n'), app.deps.live?.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS);
      held.keepAlive.unref();
    },
  );
};

export default liveRoutes;
