/**
 * Runs the API: `tsx api/server.ts`. Loads the settings, connects PostgreSQL (MikroORM) and
 * Temporal, listens, and shuts down gracefully on SIGINT/SIGTERM (stop accepting, finish
 * in-flight requests, close Temporal and the database pool).
 */
import { loadSettings, SettingsError } from '../config/settings.js';
import { createOrm } from '../db/orm.js';
import { connectTemporal } from '../integrations/temporal/connection.js';
import { buildApp } from './app.js';
import { temporalHealthCheck } from '../integrations/temporal/health.js';
import { startRiskPoller } from '../services/insurance/poller.js';
import { riskClientFromEnv } from '../integrations/risk/env.js';

async function main(): Promise<void> {
  const settings = loadSettings();
  if (!settings.databaseUrl) {
    throw new SettingsError(['DATABASE_URL: required to run the API on its own (npm start sets it for the embedded PostgreSQL)']);
  }
  const orm = await createOrm(settings.databaseUrl);
  const { connection, client } = await connectTemporal(settings);
  const app = buildApp({
    orm,
    temporal: { client, taskQueue: settings.taskQueue, checkHealth: temporalHealthCheck(connection) },
    hdn: { node: settings.hdnNode },
    logger: {
      level: settings.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie'],
    },
  });

  // RISK: webhooks are the main path; polling is the fallback for events a webhook missed.
  const riskClient = riskClientFromEnv(process.env);
  const riskPoller = riskClient
    ? startRiskPoller({
        orm,
        temporal: { client, taskQueue: settings.taskQueue, checkHealth: temporalHealthCheck(connection) },
        client: riskClient,
        intervalMs: settings.riskPollSeconds * 1000,
        log: (message, err) => app.log.warn({ err }, message),
      })
    : undefined;

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      app.log.error('shutdown took longer than 10 s; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    riskPoller?.stop();
    try {
      await app.close();
      await connection.close();
      await orm.close(true);
      process.exitCode = 0;
    } catch (err) {
      app.log.error({ err }, 'error during shutdown');
      process.exitCode = 1;
    }
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  await app.listen({ host: settings.host, port: settings.port });
  app.log.info({ url: `http://${settings.host}:${settings.port}`, docs: `http://${settings.host}:${settings.port}/docs` }, 'API listening');
}

main().catch((err: unknown) => {
  if (err instanceof SettingsError) {
    console.error(err.message);
  } else {
    console.error('API failed to start:', err);
  }
  process.exit(1);
});
