/**
 * Settings from the environment, with safe defaults, validated once at start.
 *
 * Every problem is collected and reported together in one `SettingsError`, each line naming
 * the variable, the rule and the value that was given, e.g.
 * `PORT: must be an integer 1-65535, got "abc"`.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** The project root: the nearest directory above this file that holds a package.json. */
export const projectRoot: string = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

function findProjectRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(start, '..');
    dir = parent;
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const Port = Type.Integer({ minimum: 1, maximum: 65535 });

/** Ockto timings when OCKTO_* is not set (integrations/ockto derives its default policy from these). */
export const OCKTO_DEFAULTS = { reminderHours: 48, timeoutDays: 14, pollSeconds: 300, retentionDays: 30 } as const;
const OptionalString = Type.Optional(Type.String({ minLength: 1 }));

/**
 * The largest XML body each party may send, in bytes: the route's own limit (and the codec's
 * maxBytes); XML_BODY_LIMIT_* can lower it per party, not raise it.
 */
export const XML_BODY_CEILINGS = { lender: 20 * 1024 * 1024, adviceSoftware: 20 * 1024 * 1024, bankFile: 20 * 1024 * 1024, risk: 10 * 1024 * 1024 } as const;
/** Party endpoint rate limit when PARTY_RATE_LIMIT / PARTY_RATE_WINDOW_SECONDS are not set (api/plugins/rate-limit.ts). */
/** Refused XML bodies a credential may have per window before its XML requests are refused unread (api/plugins/xml-refusals.ts). */
export const XML_REFUSAL_DEFAULTS = Object.freeze({ max: 20, windowSeconds: 60, delayMs: 1000 });

export const RATE_LIMIT_DEFAULTS = { partyMax: 300, windowSeconds: 60 } as const;

export const SettingsSchema = Type.Object({
  host: Type.String({ minLength: 1 }),
  port: Port,
  publicUrl: Type.String({ minLength: 1 }),
  dataDir: Type.String({ minLength: 1 }),
  databaseUrl: OptionalString,
  pgPort: Port,
  temporalAddress: OptionalString,
  temporalCli: OptionalString,
  temporalPort: Port,
  temporalUiPort: Port,
  temporalNamespace: Type.String({ minLength: 1 }),
  taskQueue: Type.String({ minLength: 1 }),
  smtpUrl: OptionalString,
  smtpPort: Port,
  mailUiPort: Port,
  mailFrom: Type.String({ minLength: 3 }),
  logLevel: Type.Union(LOG_LEVELS.map((l) => Type.Literal(l))),
  partyRateLimit: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
  partyRateWindowSeconds: Type.Integer({ minimum: 1, maximum: 86_400 }),
  creditorId: OptionalString,
  hdnNode: Type.String({ minLength: 6, maxLength: 6 }),
  hdnGatewayUrl: OptionalString,
  hdnGatewayToken: OptionalString,
  /**
   * Unverified HDN codes the office accepts as known, per code list of the HDN data files
   * (integrations/hdn/mapping/versions): `{ sxStatus: ['31'] }`. Empty: none (an unverified code is
   * recorded with the message and has no effect).
   */
  hdnEnabledUnverifiedCodes: Type.Record(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9]*$' }), Type.Array(Type.String({ pattern: '^[0-9A-Za-z]+$' }))),
  /** HDN transport of a lender not in hdnPlatformNodes: the XML gateway or the HDN API platform. */
  hdnTransport: Type.Union([Type.Literal('xml'), Type.Literal('platform')]),
  /** Lender node numbers whose messages go over the HDN API platform whatever hdnTransport says. */
  hdnPlatformNodes: Type.Array(Type.String({ pattern: '^[A-Za-z0-9]{6}$' })),
  /** Port of the platform listener (mutual TLS, JSON envelope); absent = no listener. */
  hdnPlatformPort: Type.Optional(Port),
  /** The HDN API platform endpoint we post envelopes to (https); absent = nothing goes over the platform. */
  hdnPlatformUrl: OptionalString,
  /** Our node's key, certificate and the trusted CA bundle (PEM files, absolute) for both directions. */
  hdnPlatformTlsKey: OptionalString,
  hdnPlatformTlsCert: OptionalString,
  hdnPlatformTlsCa: OptionalString,
  lenderPort: Port,
  /** Port of the simulated lender's platform listener (npm start with HDN_TRANSPORT=platform). */
  lenderPlatformPort: Port,
  lenderScenario: Type.String({ minLength: 1 }),
  lenderStepDelayMs: Type.Integer({ minimum: 0, maximum: 3_600_000 }),
  bankPort: Port,
  riskPollSeconds: Type.Integer({ minimum: 5, maximum: 86_400 }),
  ocktoPort: Port,
  ocktoScenario: Type.String({ minLength: 1 }),
  ocktoUrl: OptionalString,
  ocktoToken: OptionalString,
  ocktoReminderHours: Type.Integer({ minimum: 1, maximum: 24 * 60 }),
  ocktoTimeoutDays: Type.Integer({ minimum: 1, maximum: 90 }),
  ocktoPollSeconds: Type.Integer({ minimum: 1, maximum: 86_400 }),
  ocktoRetentionDays: Type.Integer({ minimum: 1, maximum: 3650 }),
  riskUrl: OptionalString,
  riskToken: OptionalString,
  riskPort: Port,
  riskScenario: Type.String({ minLength: 1 }),
  dbPoolMax: Type.Integer({ minimum: 1, maximum: 500 }),
  workerMaxActivities: Type.Integer({ minimum: 1, maximum: 5000 }),
  /**
   * `npm start` only (scripts/platform.ts): how many worker processes (werkers) and API processes
   * (API-replica's) it supervises against the one Temporal and the one PostgreSQL. API replicas
   * share PORT (and HDN_PLATFORM_PORT) through SO_REUSEPORT; the kernel spreads connections.
   */
  workers: Type.Integer({ minimum: 1, maximum: 32 }),
  apiReplicas: Type.Integer({ minimum: 1, maximum: 32 }),
  demoUi: Type.Boolean(),
  /** Office users' sessions: minutes without a request before a session ends, and its absolute lifetime in minutes. */
  sessionIdleMinutes: Type.Integer({ minimum: 5, maximum: 1440 }),
  sessionMaxMinutes: Type.Integer({ minimum: 15, maximum: 10_080 }),
  /** on: the session cookie is always Secure; off (default): Secure when the request came over TLS. */
  sessionCookieSecure: Type.Boolean(),
  demoUiToken: OptionalString,
  xmlPoolThreads: Type.Integer({ minimum: 1, maximum: 64 }),
  xmlParseTimeoutMs: Type.Integer({ minimum: 10, maximum: 600_000 }),
  xmlPoolQueue: Type.Integer({ minimum: 1, maximum: 10_000 }),
  xmlWorkerHeapMb: Type.Integer({ minimum: 32, maximum: 16_384 }),
  xmlBodyLimitLender: Type.Integer({ minimum: 1024, maximum: XML_BODY_CEILINGS.lender }),
  xmlBodyLimitAdviceSoftware: Type.Integer({ minimum: 1024, maximum: XML_BODY_CEILINGS.adviceSoftware }),
  xmlBodyLimitBankFile: Type.Integer({ minimum: 1024, maximum: XML_BODY_CEILINGS.bankFile }),
  xmlBodyLimitRisk: Type.Integer({ minimum: 1024, maximum: XML_BODY_CEILINGS.risk }),
  xmlRefusedBodiesMax: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
  xmlRefusedWindowSeconds: Type.Integer({ minimum: 1, maximum: 86_400 }),
  xmlRefusedDelayMs: Type.Integer({ minimum: 0, maximum: 60_000 }),
  /** Folder of the HDN member XSDs (absolute); absent: HDN messages are not validated against an XSD. */
  xsdDirHdn: OptionalString,
  /** Folder of RISK's AFD definition XSD(s) (absolute); absent: AFD messages are not validated against an XSD. */
  xsdDirAfd: OptionalString,
  /**
   * The RISK AFD mapping as a JSON file (absolute; the shape of integrations/risk/afd-mapping.json);
   * absent: the built-in default, which has no AL_FUNCTIE codes (not public). Loaded and checked
   * at start by integrations/risk/config.ts riskAfdMappingFromSettings.
   */
  riskAfdMapping: OptionalString,
  /**
   * clamd's TCP address (host:port) that scans every completed upload over its INSTREAM protocol
   * (integrations/clamd/); absent: uploads are not scanned, and each says so in one log line.
   */
  clamdAddress: OptionalString,
  /** Office id -> IMAP URL with its credentials (IMAP_MAILBOXES; see imapMailboxes below). */
  imapMailboxes: Type.Record(Type.String(), Type.String({ minLength: 1 })),
  imapPollSeconds: Type.Integer({ minimum: 5, maximum: 86_400 }),
  /** Hour (Amsterdam time, 0-23) at which an office's invoice run of a date starts. */
  invoiceRunHour: Type.Integer({ minimum: 0, maximum: 23 }),
});

export type Settings = Static<typeof SettingsSchema>;

export class SettingsError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid settings (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  - ${problems.join('\n  - ')}`);
    this.name = 'SettingsError';
    this.problems = problems;
  }
}

type Env = Record<string, string | undefined>;

/** Reads, defaults and validates the settings; throws a `SettingsError` naming every bad variable. */
export function loadSettings(env: Env = process.env): Settings {
  const problems: string[] = [];
  const raw = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const str = (name: string, fallback: string): string => raw(name) ?? fallback;
  const port = (name: string, fallback: number): number => {
    const v = raw(name);
    if (v === undefined) return fallback;
    const n = /^\d+$/.test(v) ? Number(v) : Number.NaN;
    if (!Number.isInteger(n) || n < 1 || n > 65535) {
      problems.push(`${name}: must be an integer 1-65535, got ${JSON.stringify(v)}`);
      return fallback;
    }
    return n;
  };
  const url = (name: string, protocols: string[], fallback?: string): string | undefined => {
    const v = raw(name) ?? fallback;
    if (v === undefined) return undefined;
    try {
      const u = new URL(v);
      if (!protocols.includes(u.protocol)) {
        problems.push(`${name}: must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}, got ${JSON.stringify(v)}`);
      }
    } catch {
      problems.push(`${name}: must be a valid URL (${protocols.map((p) => `${p}//...`).join(' or ')}), got ${JSON.stringify(v)}`);
    }
    return v;
  };
  const hostPort = (name: string): string | undefined => {
    const v = raw(name);
    if (v === undefined) return undefined;
    const m = /^(\[[^\]]+\]|[^:/\s]+):(\d+)$/.exec(v);
    const p = m ? Number(m[2]) : 0;
    if (!m || p < 1 || p > 65535) problems.push(`${name}: must be host:port (e.g. localhost:7233), got ${JSON.stringify(v)}`);
    return v;
  };

  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const v = raw(name);
    if (v === undefined) return fallback;
    const n = /^\d+$/.test(v) ? Number(v) : Number.NaN;
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name}: must be an integer ${min}-${max}, got ${JSON.stringify(v)}`);
      return fallback;
    }
    return n;
  };

  const logLevel = str('LOG_LEVEL', 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    problems.push(`LOG_LEVEL: must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(env.LOG_LEVEL)}`);
  }

  const temporalCli = raw('TEMPORAL_CLI');
  if (temporalCli !== undefined && !existsSync(temporalCli)) {
    problems.push(`TEMPORAL_CLI: must be the path of an existing temporal binary, got ${JSON.stringify(temporalCli)}`);
  }

  // A schema folder is the office's choice; a typo must stop the start, not silently turn validation off.
  const folder = (name: string): string | undefined => {
    const v = raw(name);
    if (v === undefined) return undefined;
    const resolved = path.resolve(projectRoot, v);
    let isFolder = false;
    try {
      isFolder = statSync(resolved).isDirectory();
    } catch {
      isFolder = false;
    }
    if (!isFolder) problems.push(`${name}: must be an existing folder of .xsd files, got ${JSON.stringify(v)}`);
    return resolved;
  };

  // "31" or "31, documentStatus:08": a bare code is an SX status (the case offices meet: SX 31),
  // `list:code` names another code list. Whether each code exists and is unverified in the data
  // files is checked where the files are read (checkHdnReadOptions at the API start).
  const enabledCodes = (name: string): Record<string, string[]> => {
    const v = raw(name);
    const out: Record<string, string[]> = {};
    if (v === undefined) return out;
    for (const entry of v.split(/[\s,]+/).filter((e) => e !== '')) {
      const m = /^(?:([A-Za-z][A-Za-z0-9]*):)?([0-9A-Za-z]+)$/.exec(entry);
      if (!m) {
        problems.push(`${name}: must be codes separated by commas, each "code" (an SX status) or "list:code", got ${JSON.stringify(entry)}`);
        continue;
      }
      const list = m[1] ?? 'sxStatus';
      const codes = (out[list] ??= []);
      if (!codes.includes(m[2]!)) codes.push(m[2]!);
    }
    return out;
  };

  // A file setting (certificate, key, mapping): must exist when named, so a typo stops the start.
  const file = (name: string, what: string): string | undefined => {
    const v = raw(name);
    if (v === undefined) return undefined;
    const resolved = path.resolve(projectRoot, v);
    let isFile = false;
    try {
      isFile = statSync(resolved).isFile();
    } catch {
      isFile = false;
    }
    if (!isFile) problems.push(`${name}: must be an existing ${what}, got ${JSON.stringify(v)}`);
    return resolved;
  };

  const hdnTransport = str('HDN_TRANSPORT', 'xml').toLowerCase();
  if (hdnTransport !== 'xml' && hdnTransport !== 'platform') problems.push(`HDN_TRANSPORT: must be xml or platform, got ${JSON.stringify(env.HDN_TRANSPORT)}`);
  const hdnPlatformNodes = (raw('HDN_PLATFORM_NODES') ?? '').split(',').map((n) => n.trim()).filter((n) => n !== '');
  for (const n of hdnPlatformNodes) {
    if (!/^[A-Za-z0-9]{6}$/.test(n)) problems.push(`HDN_PLATFORM_NODES: each entry must be a 6-character HDN node number, got ${JSON.stringify(n)}`);
  }

  // Inbound mail (*inkomende mail*): one IMAP mailbox per office, as `<officeId>=imap://user:password@host:port/INBOX`
  // entries separated by spaces or line breaks (imaps:// for TLS). A secret like SMTP_URL's: it
  // stays in the environment of the API and the worker, never in a workflow input.
  const imapMailboxes = (name: string): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const entry of (raw(name) ?? '').split(/\s+/).filter((e) => e !== '')) {
      const eq = entry.indexOf('=');
      const officeId = eq > 0 ? entry.slice(0, eq) : '';
      const value = entry.slice(eq + 1);
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(officeId)) {
        // Only the part before '=' is echoed: the rest may hold a password.
        problems.push(`${name}: each entry must be <office id (uuid)>=imap://user:password@host:port/INBOX, got ${eq > 0 ? `office id ${JSON.stringify(officeId.slice(0, 40))}` : 'an entry without "<office id>="'}`);
        continue;
      }
      let ok = false;
      try {
        const u = new URL(value);
        ok = (u.protocol === 'imap:' || u.protocol === 'imaps:') && u.username !== '' && u.password !== '' && u.hostname !== '';
      } catch {
        ok = false;
      }
      // The value holds a password: never echoed.
      if (!ok) problems.push(`${name}: the entry of office ${officeId} must be imap(s)://user:password@host[:port][/mailbox]`);
      else out[officeId.toLowerCase()] = value;
    }
    return out;
  };

  const onOff = (name: string, fallback: boolean): boolean => {
    const v = raw(name);
    if (v === undefined) return fallback;
    const lower = v.toLowerCase();
    if (lower === 'on') return true;
    if (lower === 'off') return false;
    problems.push(`${name}: must be on or off, got ${JSON.stringify(v)}`);
    return fallback;
  };

  const candidate = {
    host: str('HOST', '127.0.0.1'),
    port: port('PORT', 3000),
    publicUrl: url('PUBLIC_URL', ['http:', 'https:'], 'http://localhost:3000'),
    dataDir: path.resolve(projectRoot, str('DATA_DIR', '.data')),
    databaseUrl: url('DATABASE_URL', ['postgres:', 'postgresql:']),
    pgPort: port('PG_PORT', 5433),
    temporalAddress: hostPort('TEMPORAL_ADDRESS'),
    temporalCli: temporalCli === undefined ? undefined : path.resolve(projectRoot, temporalCli),
    temporalPort: port('TEMPORAL_PORT', 7233),
    temporalUiPort: port('TEMPORAL_UI_PORT', 8233),
    temporalNamespace: str('TEMPORAL_NAMESPACE', 'default'),
    taskQueue: str('TASK_QUEUE', 'dossierflow'),
    smtpUrl: url('SMTP_URL', ['smtp:', 'smtps:']),
    smtpPort: port('SMTP_PORT', 2525),
    mailUiPort: port('MAIL_UI_PORT', 8025),
    mailFrom: str('MAIL_FROM', 'dossierflow <noreply@dossierflow.local>'),
    logLevel,
    creditorId: raw('CREDITOR_ID'),
    hdnNode: str('HDN_NODE', 'DFL001'),
    hdnGatewayUrl: url('HDN_GATEWAY_URL', ['http:', 'https:']),
    hdnGatewayToken: raw('HDN_GATEWAY_TOKEN'),
    hdnEnabledUnverifiedCodes: enabledCodes('HDN_ENABLED_UNVERIFIED_CODES'),
    hdnTransport,
    hdnPlatformNodes,
    hdnPlatformPort: raw('HDN_PLATFORM_PORT') === undefined ? undefined : port('HDN_PLATFORM_PORT', 3443),
    hdnPlatformUrl: url('HDN_PLATFORM_URL', ['https:']),
    hdnPlatformTlsKey: file('HDN_PLATFORM_TLS_KEY', 'PEM file'),
    hdnPlatformTlsCert: file('HDN_PLATFORM_TLS_CERT', 'PEM file'),
    hdnPlatformTlsCa: file('HDN_PLATFORM_TLS_CA', 'PEM file'),
    lenderPort: port('LENDER_PORT', 8090),
    lenderPlatformPort: port('LENDER_PLATFORM_PORT', 8091),
    lenderScenario: str('LENDER_SCENARIO', 'happy'),
    lenderStepDelayMs: integer('LENDER_STEP_DELAY_MS', 3000, 0, 3_600_000),
    bankPort: port('BANK_PORT', 8092),
    riskPollSeconds: integer('RISK_POLL_SECONDS', 60, 5, 86_400),
    ocktoPort: port('OCKTO_PORT', 8094),
    ocktoScenario: str('OCKTO_SCENARIO', 'shares'),
    ocktoUrl: url('OCKTO_URL', ['http:', 'https:']),
    ocktoToken: raw('OCKTO_TOKEN'),
    ocktoReminderHours: integer('OCKTO_REMINDER_HOURS', OCKTO_DEFAULTS.reminderHours, 1, 24 * 60),
    ocktoTimeoutDays: integer('OCKTO_TIMEOUT_DAYS', OCKTO_DEFAULTS.timeoutDays, 1, 90),
    ocktoPollSeconds: integer('OCKTO_POLL_SECONDS', OCKTO_DEFAULTS.pollSeconds, 1, 86_400),
    ocktoRetentionDays: integer('OCKTO_RETENTION_DAYS', OCKTO_DEFAULTS.retentionDays, 1, 3650),
    riskUrl: url('RISK_URL', ['http:', 'https:']),
    riskToken: raw('RISK_TOKEN'),
    riskPort: port('RISK_PORT', 8096),
    riskScenario: str('RISK_SCENARIO', 'mutation'),
    dbPoolMax: integer('DB_POOL_MAX', 20, 1, 500),
    workerMaxActivities: integer('WORKER_MAX_ACTIVITIES', 40, 1, 5000),
    workers: integer('WORKERS', 1, 1, 32),
    apiReplicas: integer('API_REPLICAS', 1, 1, 32),
    demoUi: onOff('DEMO_UI', true),
    sessionIdleMinutes: integer('SESSION_IDLE_MINUTES', 30, 5, 1440),
    sessionMaxMinutes: integer('SESSION_MAX_MINUTES', 720, 15, 10_080),
    sessionCookieSecure: onOff('SESSION_COOKIE_SECURE', false),
    demoUiToken: raw('DEMO_UI_TOKEN'),
    xmlPoolThreads: integer('XML_POOL_THREADS', 2, 1, 64),
    xmlParseTimeoutMs: integer('XML_PARSE_TIMEOUT_MS', 3000, 10, 600_000),
    xmlPoolQueue: integer('XML_POOL_QUEUE', 32, 1, 10_000),
    xmlWorkerHeapMb: integer('XML_WORKER_HEAP_MB', 256, 32, 16_384),
    xmlBodyLimitLender: integer('XML_BODY_LIMIT_LENDER', XML_BODY_CEILINGS.lender, 1024, XML_BODY_CEILINGS.lender),
    xmlBodyLimitAdviceSoftware: integer('XML_BODY_LIMIT_ADVICE_SOFTWARE', XML_BODY_CEILINGS.adviceSoftware, 1024, XML_BODY_CEILINGS.adviceSoftware),
    xmlBodyLimitBankFile: integer('XML_BODY_LIMIT_BANK_FILE', XML_BODY_CEILINGS.bankFile, 1024, XML_BODY_CEILINGS.bankFile),
    xmlBodyLimitRisk: integer('XML_BODY_LIMIT_RISK', XML_BODY_CEILINGS.risk, 1024, XML_BODY_CEILINGS.risk),
    xmlRefusedBodiesMax: integer('XML_REFUSED_BODIES_MAX', XML_REFUSAL_DEFAULTS.max, 1, 1_000_000),
    xmlRefusedWindowSeconds: integer('XML_REFUSED_WINDOW_SECONDS', XML_REFUSAL_DEFAULTS.windowSeconds, 1, 86_400),
    xmlRefusedDelayMs: integer('XML_REFUSED_DELAY_MS', XML_REFUSAL_DEFAULTS.delayMs, 0, 60_000),
    xsdDirHdn: folder('XSD_DIR_HDN'),
    xsdDirAfd: folder('XSD_DIR_AFD'),
    riskAfdMapping: file('RISK_AFD_MAPPING', 'JSON file of the RISK AFD mapping'),
    clamdAddress: hostPort('CLAMD_ADDRESS'),
    imapMailboxes: imapMailboxes('IMAP_MAILBOXES'),
    imapPollSeconds: integer('IMAP_POLL_SECONDS', 60, 5, 86_400),
    invoiceRunHour: integer('INVOICE_RUN_HOUR', 6, 0, 23),
    partyRateLimit: integer('PARTY_RATE_LIMIT', RATE_LIMIT_DEFAULTS.partyMax, 1, 1_000_000),
    partyRateWindowSeconds: integer('PARTY_RATE_WINDOW_SECONDS', RATE_LIMIT_DEFAULTS.windowSeconds, 1, 86_400),
  };
  if (!/^[A-Z0-9]{6}$/.test(candidate.hdnNode)) {
    problems.push(`HDN_NODE: must be our 6-character HDN node number (capitals and digits), got ${JSON.stringify(candidate.hdnNode)}`);
  }
  if (candidate.hdnGatewayUrl !== undefined && candidate.hdnGatewayToken === undefined) {
    problems.push('HDN_GATEWAY_TOKEN: required when HDN_GATEWAY_URL is set');
  }
  if (candidate.riskUrl !== undefined && candidate.riskToken === undefined) {
    problems.push('RISK_TOKEN: required when RISK_URL is set');
  }
  if (candidate.ocktoUrl !== undefined && candidate.ocktoToken === undefined) {
    problems.push('OCKTO_TOKEN: required when OCKTO_URL is set');
  }
  for (const [name, token] of [['HDN_GATEWAY_TOKEN', candidate.hdnGatewayToken], ['OCKTO_TOKEN', candidate.ocktoToken], ['RISK_TOKEN', candidate.riskToken], ['DEMO_UI_TOKEN', candidate.demoUiToken]] as const) {
    // Tokens go into an Authorization header: a space inside is a pasting mistake, not a token.
    if (token !== undefined && /\s/.test(token)) problems.push(`${name}: must not contain whitespace`);
  }
  if (!/@/.test(candidate.mailFrom)) {
    problems.push(`MAIL_FROM: must contain an e-mail address, got ${JSON.stringify(candidate.mailFrom)}`);
  }
  if (candidate.creditorId !== undefined && !/^[A-Z]{2}\d{2}[A-Z0-9]{3}[A-Z0-9]{1,28}$/i.test(candidate.creditorId)) {
    problems.push(`CREDITOR_ID: must be a SEPA creditor identifier like NL00ZZZ123456780000, got ${JSON.stringify(candidate.creditorId)}`);
  }

  // Drop undefined optionals so the object matches the schema exactly.
  const settings = Object.fromEntries(Object.entries(candidate).filter(([, v]) => v !== undefined));
  if (problems.length === 0) {
    // Second line of defence: the schema (catches anything the readers above missed).
    for (const err of Value.Errors(SettingsSchema as TSchema, settings)) {
      problems.push(`${envNameOf(err.path)}: ${err.message}, got ${JSON.stringify(err.value)}`);
    }
  }
  if (problems.length > 0) throw new SettingsError(problems);
  return settings as Settings;
}

/**
 * The HDN API platform is mutual TLS in both directions: the listener (HDN_PLATFORM_PORT) and the
 * client (HDN_PLATFORM_URL) need our key, certificate and CA. Checked by the programs that use
 * them (api/server.ts, activities/worker.ts), not by loadSettings: `npm start` itself takes
 * HDN_PLATFORM_PORT for the demo and makes the demo's files before it starts them.
 */
export function requireHdnPlatformTls(s: Settings): void {
  if (s.hdnPlatformPort === undefined && s.hdnPlatformUrl === undefined) return;
  const needs = s.hdnPlatformPort !== undefined ? 'HDN_PLATFORM_PORT' : 'HDN_PLATFORM_URL';
  const problems: string[] = [];
  for (const [name, v] of [['HDN_PLATFORM_TLS_KEY', s.hdnPlatformTlsKey], ['HDN_PLATFORM_TLS_CERT', s.hdnPlatformTlsCert], ['HDN_PLATFORM_TLS_CA', s.hdnPlatformTlsCa]] as const) {
    if (v === undefined) problems.push(`${name}: required when ${needs} is set`);
  }
  if (problems.length > 0) throw new SettingsError(problems);
}

const ENV_NAMES: Record<string, string> = {
  host: 'HOST', port: 'PORT', publicUrl: 'PUBLIC_URL', dataDir: 'DATA_DIR', databaseUrl: 'DATABASE_URL',
  pgPort: 'PG_PORT', temporalAddress: 'TEMPORAL_ADDRESS', temporalCli: 'TEMPORAL_CLI',
  temporalPort: 'TEMPORAL_PORT', temporalUiPort: 'TEMPORAL_UI_PORT', temporalNamespace: 'TEMPORAL_NAMESPACE',
  taskQueue: 'TASK_QUEUE', smtpUrl: 'SMTP_URL', smtpPort: 'SMTP_PORT', mailUiPort: 'MAIL_UI_PORT',
  mailFrom: 'MAIL_FROM', logLevel: 'LOG_LEVEL', creditorId: 'CREDITOR_ID', hdnNode: 'HDN_NODE',
  hdnGatewayUrl: 'HDN_GATEWAY_URL', hdnGatewayToken: 'HDN_GATEWAY_TOKEN', hdnEnabledUnverifiedCodes: 'HDN_ENABLED_UNVERIFIED_CODES', lenderPort: 'LENDER_PORT',
  hdnTransport: 'HDN_TRANSPORT', hdnPlatformNodes: 'HDN_PLATFORM_NODES', hdnPlatformPort: 'HDN_PLATFORM_PORT', hdnPlatformUrl: 'HDN_PLATFORM_URL',
  hdnPlatformTlsKey: 'HDN_PLATFORM_TLS_KEY', hdnPlatformTlsCert: 'HDN_PLATFORM_TLS_CERT', hdnPlatformTlsCa: 'HDN_PLATFORM_TLS_CA',
  lenderPlatformPort: 'LENDER_PLATFORM_PORT',
  lenderScenario: 'LENDER_SCENARIO', lenderStepDelayMs: 'LENDER_STEP_DELAY_MS', bankPort: 'BANK_PORT', riskPollSeconds: 'RISK_POLL_SECONDS',
  ocktoPort: 'OCKTO_PORT', ocktoScenario: 'OCKTO_SCENARIO', dbPoolMax: 'DB_POOL_MAX', workerMaxActivities: 'WORKER_MAX_ACTIVITIES',
  workers: 'WORKERS', apiReplicas: 'API_REPLICAS',
  riskUrl: 'RISK_URL', riskToken: 'RISK_TOKEN', riskPort: 'RISK_PORT', riskScenario: 'RISK_SCENARIO',
  ocktoUrl: 'OCKTO_URL', ocktoToken: 'OCKTO_TOKEN', ocktoReminderHours: 'OCKTO_REMINDER_HOURS', ocktoTimeoutDays: 'OCKTO_TIMEOUT_DAYS',
  ocktoPollSeconds: 'OCKTO_POLL_SECONDS', ocktoRetentionDays: 'OCKTO_RETENTION_DAYS', demoUi: 'DEMO_UI', demoUiToken: 'DEMO_UI_TOKEN',
  sessionIdleMinutes: 'SESSION_IDLE_MINUTES', sessionMaxMinutes: 'SESSION_MAX_MINUTES', sessionCookieSecure: 'SESSION_COOKIE_SECURE',
  xmlPoolThreads: 'XML_POOL_THREADS', xmlParseTimeoutMs: 'XML_PARSE_TIMEOUT_MS', xmlPoolQueue: 'XML_POOL_QUEUE', xmlWorkerHeapMb: 'XML_WORKER_HEAP_MB',
  xmlBodyLimitLender: 'XML_BODY_LIMIT_LENDER', xmlBodyLimitAdviceSoftware: 'XML_BODY_LIMIT_ADVICE_SOFTWARE',
  xmlBodyLimitBankFile: 'XML_BODY_LIMIT_BANK_FILE', xmlBodyLimitRisk: 'XML_BODY_LIMIT_RISK',
  xmlRefusedBodiesMax: 'XML_REFUSED_BODIES_MAX', xmlRefusedWindowSeconds: 'XML_REFUSED_WINDOW_SECONDS', xmlRefusedDelayMs: 'XML_REFUSED_DELAY_MS',
  partyRateLimit: 'PARTY_RATE_LIMIT', partyRateWindowSeconds: 'PARTY_RATE_WINDOW_SECONDS',
  xsdDirHdn: 'XSD_DIR_HDN', xsdDirAfd: 'XSD_DIR_AFD', riskAfdMapping: 'RISK_AFD_MAPPING',
  clamdAddress: 'CLAMD_ADDRESS',
  imapMailboxes: 'IMAP_MAILBOXES', imapPollSeconds: 'IMAP_POLL_SECONDS', invoiceRunHour: 'INVOICE_RUN_HOUR',
};

function envNameOf(pointer: string): string {
  const key = pointer.replace(/^\//, '').split('/')[0] ?? pointer;
  return ENV_NAMES[key] ?? key;
}
