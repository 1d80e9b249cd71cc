/**
 * Runs the API: `tsx api/server.ts`. Loads the settings (once; everything below gets plain
 * values), connects PostgreSQL (MikroORM) and Temporal, makes sure the platform's RISK poller
 * workflow runs (when RISK is configured), listens, and shuts down gracefully on SIGINT/SIGTERM
 * (stop accepting, finish in-flight requests, close Temporal and the database pool).
 */
import { defaultSignInSettings } from '../services/access/users.js';
import { loadSettings, requireHdnPlatformTls, SettingsError } from '../config/settings.js';
import { createOrm } from '../db/orm.js';
import { connectTemporal } from '../integrations/temporal/connection.js';
import { buildApp } from './app.js';
import { checkHdnReadOptions } from '../integrations/hdn/read.js';
import { xmlDepsFromSettings } from './plugins/xml-body.js';
import { temporalHealthCheck } from '../integrations/temporal/health.js';
import { ensureRiskPoller } from '../services/insurance/poller.js';
import { ensureMailboxPoller } from '../services/mailbox/poller.js';
import { riskAfdMappingFromSettings, riskClientFromSettings } from '../integrations/risk/config.js';
import { hdnPlatformTlsFromSettings } from '../integrations/hdn/platform/config.js';
import { buildPlatformListener } from './platform-listener.js';
import { createMailer } from '../integrations/mail/transport.js';

async function main(): Promise<void> {
  const settings = loadSettings();
  if (!settings.databaseUrl) {
    throw new SettingsError(['DATABASE_URL: required to run the API on its own (npm start sets it for the embedded PostgreSQL)']);
  }
  // A code the office enables must exist, unverified, in the HDN data files: checked before anything starts.
  checkHdnReadOptions({ enabledUnverifiedCodes: settings.hdnEnabledUnverifiedCodes });
  requireHdnPlatformTls(settings);
  // Read and checked before anything connects: a bad mapping file stops the start with the checker's words.
  const riskMapping = riskAfdMappingFromSettings(settings);
  const orm = await createOrm(settings.databaseUrl);
  const { connection, client } = await connectTemporal(settings);
  const temporal = { client, taskQueue: settings.taskQueue, checkHealth: temporalHealthCheck(connection), invoiceRunHour: settings.invoiceRunHour };
  const riskClient = riskClientFromSettings(settings);
  // The API mails itself only what an adviser does outside a process (a checklist rejection).
  const mailer = settings.smtpUrl ? createMailer(settings.smtpUrl) : undefined;
  const app = buildApp({
    orm,
    temporal,
    hdn: { node: settings.hdnNode, enabledUnverifiedCodes: settings.hdnEnabledUnverifiedCodes },
    risk: { client: riskClient, mapping: riskMapping },
    ...(mailer ? { mail: { mailer, mailFrom: settings.mailFrom } } : {}),
    ui: settings.demoUiToken ? { demoToken: settings.demoUiToken } : {},
    signIn: { ...defaultSignInSettings, idleMinutes: settings.sessionIdleMinutes, maxMinutes: settings.sessionMaxMinutes, secureCookie: settings.sessionCookieSecure ? 'always' : 'auto' },
    xml: xmlDepsFromSettings(settings),
    rateLimit: { partyMax: settings.partyRateLimit, windowSeconds: settings.partyRateWindowSeconds },
    uploads: settings.clamdAddress ? { clamdAddress: settings.clamdAddress } : {},
    logger: {
      level: settings.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie'],
    },
  });

  // RISK: webhooks are the main path; polling is the fallback for events a webhook missed. The
  // poller is one durable workflow (`risk-poller`) for the platform: every API start makes sure
  // it runs with this interval (signal-with-start on its fixed id), so replicas never poll twice.
  if (riskClient) {
    try {
      const poller = await ensureRiskPoller(temporal, { intervalSeconds: settings.riskPollSeconds });
      app.log.info({ workflowId: poller.workflowId, runId: poller.runId, intervalSeconds: settings.riskPollSeconds }, 'RISK poller workflow running');
    } catch (err) {
      // Webhooks and POST /risk/poll still work; the next API start tries again.
      app.log.error({ err }, 'could not start the RISK poller workflow; RISK events arrive by webhook only until the next API start');
    }
  }

  // Inbound mail: one durable poller workflow per office mailbox (`mailbox:<officeId>`); the
  // credentials stay in the worker's settings, the workflow gets the office id and the interval.
  for (const officeId of Object.keys(settings.imapMailboxes)) {
    try {
      const poller = await ensureMailboxPoller(temporal, { officeId, intervalSeconds: settings.imapPollSeconds });
      app.log.info({ workflowId: poller.workflowId, intervalSeconds: settings.imapPollSeconds }, 'mailbox poller workflow running');
    } catch (err) {
      app.log.error({ err, officeId }, 'could not start the mailbox poller workflow; the next API start tries again');
    }
  }

  // The HDN API platform listener (mutual TLS) on its own port, when HDN_PLATFORM_PORT is set;
  // the settings guarantee the TLS files then. It shares the database, Temporal and XML pool.
  const platformTls = settings.hdnPlatformPort !== undefined ? hdnPlatformTlsFromSettings(settings) : undefined;
  const platform = platformTls
    ? buildPlatformListener({
        orm,
        temporal,
        ourNode: settings.hdnNode,
        xmlPool: app.deps.xml.pool,
        ...(app.deps.xml.xsd?.hdn ? { xsd: app.deps.xml.xsd.hdn } : {}),
        enabledUnverifiedCodes: settings.hdnEnabledUnverifiedCodes,
        maxXmlBytes: settings.xmlBodyLimitLender,
        tls: platformTls,
        logger: { level: settings.logLevel },
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
    try {
      await platform?.close();
      await app.close();
      mailer?.close();
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

  // The office's XSD folders: compiled in a pool thread once now, so a schema that does not compile
  // is in the start-up log (messages with its root are then passed unchecked, not parked).
  for (const [side, validator] of Object.entries(app.deps.xml.xsd ?? {})) {
    try {
      const summary = await validator.describe();
      const log = summary.problems.length > 0 ? app.log.warn.bind(app.log) : app.log.info.bind(app.log);
      log({ dir: summary.dir, schemas: summary.schemas.length, problems: summary.problems }, `XSD validation of ${side.toUpperCase()} messages on`);
    } catch (err) {
      app.log.error({ err, dir: validator.dir }, `XSD folder for ${side.toUpperCase()} messages cannot be used; messages pass unchecked`);
    }
  }

  // Several API replicas on one machine (API_REPLICAS > 1, `npm start`) listen on the same port
  // with SO_REUSEPORT (Linux): the kernel spreads new connections over the replicas, and one
  // that dies leaves the others answering. Never set for one API: a second API started by
  // mistake on the port then fails (EADDRINUSE) instead of silently taking half the traffic.
  const shared = settings.apiReplicas > 1 ? { reusePort: true } : {};
  await app.listen({ host: settings.host, port: settings.port, ...shared });
  app.log.info({ url: `http://${settings.host}:${settings.port}`, ...(settings.apiReplicas > 1 ? { replicas: settings.apiReplicas, reusePort: true } : {}), docs: `http://${settings.host}:${settings.port}/docs` }, 'API listening');
  if (platform) {
    await platform.listen({ host: settings.host, port: settings.hdnPlatformPort, ...shared });
    app.log.info({ url: `https://${settings.host}:${settings.hdnPlatformPort}/hdn/platform/messages` }, 'HDN platform listener (mutual TLS) listening');
  }
}

main().catch((err: unknown) => {
  if (err instanceof SettingsError) {
    console.error(err.message);
  } else {
    console.error('API failed to start:', err);
  }
  process.exit(1);
});
