/** Liveness (the process answers) and readiness (PostgreSQL and Temporal answer). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HttpProblem } from '../../problem.js';
import { problemResponses } from '../../../services/shared/schemas.js';
import { LiveSchema, ReadySchema } from '../../schemas/health.js';

interface CheckResult {
  status: 'up' | 'down';
  latencyMs: number;
  error?: string;
}

async function timed(fn: () => Promise<unknown>, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: 'up', latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    return {
      status: 'down',
      latencyMs: Math.round(performance.now() - started),
      error: err instanceof Error ? err.message : String(err),
    };
  } finally {
    if (timer) clearTimeout(timer);
  }
}

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/health/live',
    { config: { public: true }, schema: { tags: ['health'], summary: 'The API process is alive', security: [], response: { 200: LiveSchema } } },
    async () => ({ status: 'live' as const }),
  );

  app.get(
    '/health/ready',
    {
      config: { public: true },
      schema: {
        tags: ['health'],
        summary: 'PostgreSQL and Temporal answer',
        security: [],
        response: { 200: ReadySchema, ...problemResponses(503) },
      },
    },
    async (request) => {
      const [postgres, temporal] = await Promise.all([
        timed(() => app.deps.orm.em.fork().execute('select 1'), 3000),
        timed(() => app.deps.temporal.checkHealth(), 3000),
      ]);
      const checks = { postgres, temporal };
      const failing = Object.entries(checks).filter(([, c]) => c.status === 'down');
      if (failing.length > 0) {
        for (const [name, c] of failing) request.log.warn({ check: name, error: c.error }, 'readiness check failed');
        const names = failing.map(([name]) => (name === 'postgres' ? 'PostgreSQL' : 'Temporal'));
        throw new HttpProblem(503, 'not-ready', `Not ready: ${names.join(' and ')} not reachable`, {
          checks: Object.fromEntries(Object.entries(checks).map(([k, c]) => [k, { status: c.status, latencyMs: c.latencyMs }])),
        });
      }
      return { status: 'ready' as const, checks };
    },
  );
};

export default healthRoutes;
