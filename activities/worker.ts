/**
 * `tsx activities/worker.ts`: the Temporal worker: the workflows bundle (workflows/index.ts)
 * and the activities, on the platform task queue. Stops gracefully on SIGINT/SIGTERM.
 * `startWorker()` runs the same in-process (tests, platform script).
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DefaultLogger, NativeConnection, Runtime, Worker, type LogLevel as TemporalLogLevel, type WorkerOptions } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import type { MikroORM } from '@mikro-orm/postgresql';
import { XML_BODY_CEILINGS, loadSettings, requireHdnPlatformTls } from '../config/settings.js';
import { createOrm } from '../db/orm.js';
import { createHdnGateway } from '../integrations/hdn/gateway.js';
import { hdnOutboundFromSettings, type HdnTransportSettings } from '../integrations/hdn/platform/config.js';
import { createMailer, type Mailer } from '../integrations/mail/transport.js';
import { createPdfPool } from '../integrations/pdf/pool.js';
import { ocktoConfigFromSettings, type OcktoSettings } from '../integrations/ockto/config.js';
import { riskAfdMappingFromSettings, riskClientFromSettings, type RiskSettings } from '../integrations/risk/config.js';
import { temporalHealthCheck } from '../integrations/temporal/health.js';
import { createActivities } from './index.js';
import { XsdFolderValidator } from '../integrations/xml/index.js';
import { imapAccountsFromSettings } from '../integrations/imap/account.js';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface StartWorkerOptions {
  databaseUrl: string;
  temporalAddress: string;
  temporalNamespace: string;
  taskQueue: string;
  smtpUrl: string;
  publicUrl: string;
  mailFrom: string;
  /** HDN: our node number and the gateway the application goes to (none: sending fails with a reason). */
  hdn?: {
    node: string;
    gatewayUrl?: string;
    gatewayToken?: string;
    xsdDir?: string;
    /** The transport choice and the HDN API platform (settings HDN_TRANSPORT, HDN_PLATFORM_*); absent = XML gateway only. */
    transport?: Omit<HdnTransportSettings, 'hdnGatewayUrl' | 'hdnGatewayToken'>;
  };
  /** Ockto: adapter URL/token and timings (settings OCKTO_*); absent: no Ockto connection, default timings. */
  ockto?: OcktoSettings;
  /** RISK: URL and token (settings RISK_URL / RISK_TOKEN) for quote requests and the poller's rounds; absent: none. */
  /** RISK connection, mapping file (RISK_AFD_MAPPING; absent: the built-in default) and AFD XSD folder for polled messages. */
  risk?: RiskSettings & { riskAfdMapping?: string | undefined; xsdDirAfd?: string | undefined };
  /** Hour (Amsterdam time) an office's invoice run of a date starts (setting INVOICE_RUN_HOUR); absent: 06:00. */
  invoiceRunHour?: number;
  /** Inbound mail: office id -> IMAP URL with credentials (settings IMAP_MAILBOXES); absent: none. */
  mailboxes?: Readonly<Record<string, string>>;
  /** Connections of the worker's own ORM pool (settings DB_POOL_MAX; default DEFAULT_POOL_MAX of db/orm). */
  dbPoolMax?: number;
  /** Activities run at once (settings WORKER_MAX_ACTIVITIES; default DEFAULT_MAX_ACTIVITIES). */
  maxActivities?: number;
  /** Threads that render the invoice run's PDFs (default: one less than the cores, at least one; 0: on the main thread). */
  pdfThreads?: number;
  /** Reuse an ORM / mailer / connection owned by the caller (not closed by `stop`). */
  orm?: MikroORM;
  mailer?: Mailer;
  connection?: NativeConnection;
  /** Extra Worker.create options (e.g. a prebuilt workflowBundle in tests). */
  workerOptions?: Partial<WorkerOptions>;
}

/**
 * Activities at once. Most activities spend their time in PostgreSQL, so about two per pooled
 * connection keeps the pool busy without queueing activities behind it (the SDK's default of
 * 100 against a pool of 10 made each invoice activity wait seconds for a connection, up to its
 * one-minute timeout). Tasks beyond this wait in Temporal's task queue, where no timeout runs.
 */
export const DEFAULT_MAX_ACTIVITIES = 40;
/**
 * Workflow task pollers, and the share of them on the non-sticky queue. A new workflow's first
 * task (and a task after a cache eviction or timeout) comes from the non-sticky queue, which
 * the SDK's defaults (10 pollers, ratio 0.2) poll twice at a time: a bulk start of 10,000
 * contracts left 8,800 first tasks waiting there, taken at under 3/s while the worker was idle.
 */
const WORKFLOW_TASK_POLLS = 20;
const NON_STICKY_POLL_RATIO = 0.5;

export interface RunningWorker {
  worker: Worker;
  /** Resolves when the worker stopped (after shutdown or on a fatal error). */
  done: Promise<void>;
  /** Graceful stop: worker shutdown, then the resources this function created. Idempotent. */
  stop(): Promise<void>;
}

export async function startWorker(opts: StartWorkerOptions): Promise<RunningWorker> {
  const ownOrm = !opts.orm;
  const ownMailer = !opts.mailer;
  const ownConnection = !opts.connection;
  const orm = opts.orm ?? (await createOrm(opts.databaseUrl, opts.dbPoolMax ? { pool: { max: opts.dbPoolMax } } : {}));
  const mailer = opts.mailer ?? createMailer(opts.smtpUrl);
  // PDFs of the invoice run are rendered in threads, off the event loop that drives the rest.
  const pdf = createPdfPool(opts.pdfThreads !== undefined ? { threads: opts.pdfThreads } : {});
  let connection: NativeConnection | undefined;
  // The RISK poll's activity routes polled messages to their workflows: a client connection of
  // its own, opened at its first use (only when RISK is configured).
  let clientConnection: Connection | undefined;
  try {
    connection = opts.connection ?? (await NativeConnection.connect({ address: opts.temporalAddress }));
    const gateway = opts.hdn?.transport
      ? hdnOutboundFromSettings({
          ...opts.hdn.transport,
          ...(opts.hdn.gatewayUrl ? { hdnGatewayUrl: opts.hdn.gatewayUrl } : {}),
          ...(opts.hdn.gatewayToken ? { hdnGatewayToken: opts.hdn.gatewayToken } : {}),
        })
      : opts.hdn?.gatewayUrl && opts.hdn.gatewayToken
        ? createHdnGateway({ url: opts.hdn.gatewayUrl, token: opts.hdn.gatewayToken })
        : undefined;
    const riskClient = opts.risk ? riskClientFromSettings(opts.risk) : undefined;
    // The RISK poll and the invoice run (runs of later dates, invoice workflows on a due date)
    // start and signal workflows: a client connection, opened at its first use.
    clientConnection = Connection.lazy({ address: opts.temporalAddress });
    const activities = createActivities({
      orm,
      mailer,
      pdf,
      mailbox: { accounts: imapAccountsFromSettings(opts.mailboxes ?? {}) },
      settings: { publicUrl: opts.publicUrl, mailFrom: opts.mailFrom },
      // What we send is validated in line (our own messages; the worker has no XML pool).
      hdn: { node: opts.hdn?.node ?? 'DFL001', gateway, ...(opts.hdn?.xsdDir ? { xsd: new XsdFolderValidator(opts.hdn.xsdDir, 'HDN message', undefined, { maxTextLength: XML_BODY_CEILINGS.lender }) } : {}) },
      ...(opts.ockto ? { ockto: ocktoConfigFromSettings(opts.ockto) } : {}),
      risk: {
        client: riskClient,
        mapping: riskAfdMappingFromSettings(opts.risk ?? {}),
        // Polled messages are validated in line (no XML pool on the worker), like HDN outbound.
        ...(opts.risk?.xsdDirAfd ? { xsd: new XsdFolderValidator(opts.risk.xsdDirAfd, 'RISK message', undefined, { maxBytes: XML_BODY_CEILINGS.risk, maxTextLength: XML_BODY_CEILINGS.risk }) } : {}),
      },
      ...(clientConnection
        ? {
            temporal: {
              client: new Client({ connection: clientConnection, namespace: opts.temporalNamespace }),
              taskQueue: opts.taskQueue,
              checkHealth: temporalHealthCheck(clientConnection),
              ...(opts.invoiceRunHour !== undefined ? { invoiceRunHour: opts.invoiceRunHour } : {}),
            },
          }
        : {}),
    });
    const worker = await Worker.create({
      connection,
      namespace: opts.temporalNamespace,
      taskQueue: opts.taskQueue,
      workflowsPath,
      activities,
      maxConcurrentActivityTaskExecutions: opts.maxActivities ?? DEFAULT_MAX_ACTIVITIES,
      maxConcurrentWorkflowTaskPolls: WORKFLOW_TASK_POLLS,
      nonStickyToStickyPollRatio: NON_STICKY_POLL_RATIO,
      ...opts.workerOptions,
    });
    const conn = connection;
    const ownClientConnection = clientConnection;
    const run = worker.run();
    let stopping: Promise<void> | undefined;
    const cleanup = async (): Promise<void> => {
      await run.catch(() => undefined);
      await ownClientConnection?.close().catch(() => undefined);
      if (ownConnection) await conn.close().catch(() => undefined);
      if (ownMailer) mailer.close();
      await pdf.close();
      if (ownOrm) await orm.close(true);
    };
    return {
      worker,
      done: run,
      stop: () =>
        (stopping ??= (async () => {
          if (worker.getState() === 'RUNNING') worker.shutdown();
          await cleanup();
        })()),
    };
  } catch (err) {
    await clientConnection?.close().catch(() => undefined);
    if (ownConnection && connection) await connection.close().catch(() => undefined);
    if (ownMailer) mailer.close();
    await pdf.close();
    if (ownOrm) await orm.close(true);
    throw err;
  }
}

/** The SDK's log level for ours (the SDK has no "fatal" or "silent"). */
function temporalLogLevel(level: string): TemporalLogLevel {
  if (level === 'trace') return 'TRACE';
  if (level === 'debug') return 'DEBUG';
  if (level === 'info') return 'INFO';
  if (level === 'warn') return 'WARN';
  return 'ERROR';
}

async function main(): Promise<void> {
  const settings = loadSettings();
  requireHdnPlatformTls(settings);
  Runtime.install({ logger: new DefaultLogger(temporalLogLevel(settings.logLevel)) });
  const missing = [
    !settings.databaseUrl && 'DATABASE_URL',
    !settings.smtpUrl && 'SMTP_URL',
  ].filter(Boolean);
  if (missing.length) {
    console.error(`worker: FAILED: ${missing.join(', ')} not set`);
    process.exit(2);
  }
  const running = await startWorker({
    databaseUrl: settings.databaseUrl!,
    temporalAddress: settings.temporalAddress ?? `127.0.0.1:${settings.temporalPort}`,
    temporalNamespace: settings.temporalNamespace,
    taskQueue: settings.taskQueue,
    invoiceRunHour: settings.invoiceRunHour,
    smtpUrl: settings.smtpUrl!,
    publicUrl: settings.publicUrl,
    mailFrom: settings.mailFrom,
    dbPoolMax: settings.dbPoolMax,
    maxActivities: settings.workerMaxActivities,
    hdn: {
      node: settings.hdnNode,
      ...(settings.hdnGatewayUrl ? { gatewayUrl: settings.hdnGatewayUrl } : {}),
      ...(settings.hdnGatewayToken ? { gatewayToken: settings.hdnGatewayToken } : {}),
      ...(settings.xsdDirHdn ? { xsdDir: settings.xsdDirHdn } : {}),
      transport: settings,
    },
    ockto: settings,
    risk: settings,
    mailboxes: settings.imapMailboxes,
  });
  console.log(`worker: running on task queue "${settings.taskQueue}" (workflow cache ${running.worker.options.maxCachedWorkflows})`);
  const onSignal = (signal: NodeJS.Signals): void => {
    console.log(`worker: ${signal}, shutting down`);
    void running.stop().then(() => process.exit(0), (err: unknown) => {
      console.error('worker: shutdown failed', err);
      process.exit(1);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await running.done;
  } catch (err) {
    console.error(`worker: FAILED: ${err instanceof Error ? err.message : String(err)}`);
    await running.stop().catch(() => undefined);
    process.exit(1);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err: unknown) => {
    console.error(`worker: FAILED: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
