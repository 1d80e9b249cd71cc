import { describe, expect, it } from 'vitest';
import { loadSettings, requireHdnPlatformTls, SettingsError } from './settings.js';
import { ocktoConfigFromSettings, defaultOcktoPolicy } from '../integrations/ockto/config.js';
import { riskClientFromSettings } from '../integrations/risk/config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadSettings(env);
    return [];
  } catch (err) {
    if (err instanceof SettingsError) return err.problems;
    throw err;
  }
}

describe('loadSettings', () => {
  it('has safe defaults for an empty environment', () => {
    const s = loadSettings({});
    expect(s).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      pgPort: 5433,
      temporalPort: 7233,
      temporalUiPort: 8233,
      temporalNamespace: 'default',
      taskQueue: 'dossierflow',
      smtpPort: 2525,
      mailUiPort: 8025,
      logLevel: 'info',
      workers: 1,
      apiReplicas: 1,
    });
    expect(s.databaseUrl).toBeUndefined();
    expect(s.temporalAddress).toBeUndefined();
    expect(s.dataDir).toMatch(/\.data$/);
  });

  it('reads what is set', () => {
    const s = loadSettings({
      PORT: '8080',
      DATABASE_URL: 'postgres://u:p@db:5432/x',
      TEMPORAL_ADDRESS: 'temporal:7233',
      SMTP_URL: 'smtp://relay:587',
      LOG_LEVEL: 'DEBUG',
      CREDITOR_ID: 'NL00ZZZ123456780000',
      WORKERS: '2',
      API_REPLICAS: '3',
    });
    expect(s).toMatchObject({ workers: 2, apiReplicas: 3 });
    expect(s).toMatchObject({ port: 8080, databaseUrl: 'postgres://u:p@db:5432/x', temporalAddress: 'temporal:7233', smtpUrl: 'smtp://relay:587', logLevel: 'debug' });
  });

  it.each([
    [{ PORT: 'abc' }, /^PORT: must be an integer 1-65535, got "abc"$/],
    [{ PORT: '70000' }, /^PORT: must be an integer 1-65535/],
    [{ PG_PORT: '0' }, /^PG_PORT: must be an integer 1-65535/],
    [{ DATABASE_URL: 'mysql://x/y' }, /^DATABASE_URL: must be a URL starting with postgres:\/\/ or postgresql:\/\//],
    [{ DATABASE_URL: 'not a url' }, /^DATABASE_URL: must be a valid URL/],
    [{ TEMPORAL_ADDRESS: 'http://temporal:7233' }, /^TEMPORAL_ADDRESS: must be host:port/],
    [{ SMTP_URL: 'http://relay' }, /^SMTP_URL: must be a URL starting with smtp:\/\/ or smtps:\/\//],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent, got "loud"$/],
    [{ MAIL_FROM: 'nobody' }, /^MAIL_FROM: must contain an e-mail address/],
    [{ CREDITOR_ID: '123' }, /^CREDITOR_ID: must be a SEPA creditor identifier/],
    [{ TEMPORAL_CLI: '/nonexistent/temporal' }, /^TEMPORAL_CLI: must be the path of an existing temporal binary/],
    [{ RISK_URL: 'https://risk.example.nl' }, /^RISK_TOKEN: required when RISK_URL is set$/],
    [{ RISK_URL: 'ftp://risk.example.nl', RISK_TOKEN: 't' }, /^RISK_URL: must be a URL starting with http:\/\/ or https:\/\//],
    [{ RISK_URL: 'https://risk.example.nl', RISK_TOKEN: 'two words' }, /^RISK_TOKEN: must not contain whitespace$/],
    [{ RISK_POLL_SECONDS: '2' }, /^RISK_POLL_SECONDS: must be an integer 5-86400, got "2"$/],
    [{ OCKTO_URL: 'https://ockto.example.nl' }, /^OCKTO_TOKEN: required when OCKTO_URL is set$/],
    [{ OCKTO_URL: 'not a url', OCKTO_TOKEN: 't' }, /^OCKTO_URL: must be a valid URL/],
    [{ OCKTO_URL: 'https://ockto.example.nl', OCKTO_TOKEN: 'a b' }, /^OCKTO_TOKEN: must not contain whitespace$/],
    [{ OCKTO_REMINDER_HOURS: '0' }, /^OCKTO_REMINDER_HOURS: must be an integer 1-1440, got "0"$/],
    [{ OCKTO_TIMEOUT_DAYS: '91' }, /^OCKTO_TIMEOUT_DAYS: must be an integer 1-90, got "91"$/],
    [{ OCKTO_POLL_SECONDS: '5m' }, /^OCKTO_POLL_SECONDS: must be an integer 1-86400, got "5m"$/],
    [{ OCKTO_RETENTION_DAYS: '-1' }, /^OCKTO_RETENTION_DAYS: must be an integer 1-3650, got "-1"$/],
    [{ DEMO_UI: 'yes' }, /^DEMO_UI: must be on or off, got "yes"$/],
    [{ DEMO_UI_TOKEN: 'dfl adviser' }, /^DEMO_UI_TOKEN: must not contain whitespace$/],
    [{ WORKERS: '0' }, /^WORKERS: must be an integer 1-32, got "0"$/],
    [{ WORKERS: 'two' }, /^WORKERS: must be an integer 1-32, got "two"$/],
    [{ API_REPLICAS: '33' }, /^API_REPLICAS: must be an integer 1-32, got "33"$/],
    [{ XML_POOL_THREADS: '0' }, /^XML_POOL_THREADS: must be an integer 1-64, got "0"$/],
    [{ XML_PARSE_TIMEOUT_MS: '5s' }, /^XML_PARSE_TIMEOUT_MS: must be an integer 10-600000, got "5s"$/],
    [{ XML_POOL_QUEUE: '0' }, /^XML_POOL_QUEUE: must be an integer 1-10000, got "0"$/],
    [{ XML_WORKER_HEAP_MB: '8' }, /^XML_WORKER_HEAP_MB: must be an integer 32-16384, got "8"$/],
    // A party's limit can be lowered, not raised above the route's own limit.
    [{ XML_BODY_LIMIT_LENDER: '20971521' }, /^XML_BODY_LIMIT_LENDER: must be an integer 1024-20971520, got "20971521"$/],
    [{ XML_BODY_LIMIT_ADVICE_SOFTWARE: '100' }, /^XML_BODY_LIMIT_ADVICE_SOFTWARE: must be an integer 1024-20971520, got "100"$/],
    [{ XML_BODY_LIMIT_BANK_FILE: '1MB' }, /^XML_BODY_LIMIT_BANK_FILE: must be an integer 1024-20971520, got "1MB"$/],
    [{ XML_BODY_LIMIT_RISK: '10485761' }, /^XML_BODY_LIMIT_RISK: must be an integer 1024-10485760, got "10485761"$/],
    [{ HDN_TRANSPORT: 'soap' }, /^HDN_TRANSPORT: must be xml or platform, got "soap"$/],
    [{ HDN_PLATFORM_NODES: 'LND001, LND-02' }, /^HDN_PLATFORM_NODES: each entry must be a 6-character HDN node number, got "LND-02"$/],
    [{ HDN_PLATFORM_PORT: '99999' }, /^HDN_PLATFORM_PORT: must be an integer 1-65535/],
    [{ HDN_PLATFORM_URL: 'http://platform.example.nl/hdn' }, /^HDN_PLATFORM_URL: must be a URL starting with https:\/\//],
    [{ HDN_PLATFORM_TLS_CA: '/nonexistent/ca.crt' }, /^HDN_PLATFORM_TLS_CA: must be an existing PEM file, got "\/nonexistent\/ca.crt"$/],
  ])('refuses %o with a message naming the variable', (env, expected) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
  });

  it('enables unverified HDN codes only when HDN_ENABLED_UNVERIFIED_CODES names them', () => {
    expect(loadSettings({}).hdnEnabledUnverifiedCodes).toEqual({});
    expect(loadSettings({ HDN_ENABLED_UNVERIFIED_CODES: '31' }).hdnEnabledUnverifiedCodes).toEqual({ sxStatus: ['31'] });
    expect(loadSettings({ HDN_ENABLED_UNVERIFIED_CODES: '31, documentStatus:08 31' }).hdnEnabledUnverifiedCodes).toEqual({ sxStatus: ['31'], documentStatus: ['08'] });
    expect(problemsOf({ HDN_ENABLED_UNVERIFIED_CODES: '31;32' })).toEqual([
      'HDN_ENABLED_UNVERIFIED_CODES: must be codes separated by commas, each "code" (an SX status) or "list:code", got "31;32"',
    ]);
  });

  it('HDN transport: XML by default, the platform settings read, the TLS files required only where used', () => {
    expect(loadSettings({})).toMatchObject({ hdnTransport: 'xml', hdnPlatformNodes: [], lenderPlatformPort: 8091 });
    expect(loadSettings({}).hdnPlatformPort).toBeUndefined();
    const s = loadSettings({
      HDN_TRANSPORT: 'Platform',
      HDN_PLATFORM_NODES: 'LND001,LND002',
      HDN_PLATFORM_PORT: '3443',
      HDN_PLATFORM_URL: 'https://platform.example.nl/hdn',
      HDN_PLATFORM_TLS_KEY: 'package.json',
    });
    expect(s).toMatchObject({ hdnTransport: 'platform', hdnPlatformNodes: ['LND001', 'LND002'], hdnPlatformPort: 3443, hdnPlatformTlsKey: expect.stringMatching(/\/package\.json$/) });
    // npm start takes HDN_PLATFORM_PORT without files (it makes the demo's); the API and worker do not.
    expect(() => requireHdnPlatformTls(s)).toThrow(/HDN_PLATFORM_TLS_CERT: required when HDN_PLATFORM_PORT is set[\s\S]*HDN_PLATFORM_TLS_CA/);
    expect(() => requireHdnPlatformTls(loadSettings({}))).not.toThrow();
    expect(() => requireHdnPlatformTls(loadSettings({ HDN_PLATFORM_URL: 'https://p.example.nl', HDN_PLATFORM_TLS_KEY: 'package.json', HDN_PLATFORM_TLS_CERT: 'package.json', HDN_PLATFORM_TLS_CA: 'package.json' }))).not.toThrow();
  });

  it('validates against XSDs only when a schema folder is set, and refuses a folder that is not there', () => {
    const s = loadSettings({});
    expect(s.xsdDirHdn).toBeUndefined();
    expect(s.xsdDirAfd).toBeUndefined();
    expect(loadSettings({ XSD_DIR_HDN: 'integrations/xml/fixtures/xsd', XSD_DIR_AFD: ' ' })).toMatchObject({
      xsdDirHdn: expect.stringMatching(/^\/.*\/integrations\/xml\/fixtures\/xsd$/),
    });
    expect(problemsOf({ XSD_DIR_HDN: '/nonexistent/hdn-xsd', XSD_DIR_AFD: 'integrations/xml/fixtures/xsd/types.xsd' })).toEqual([
      'XSD_DIR_HDN: must be an existing folder of .xsd files, got "/nonexistent/hdn-xsd"',
      'XSD_DIR_AFD: must be an existing folder of .xsd files, got "integrations/xml/fixtures/xsd/types.xsd"',
    ]);
  });

  it('has the XML reader defaults and reads its settings', () => {
    expect(loadSettings({})).toMatchObject({
      xmlPoolThreads: 2,
      xmlParseTimeoutMs: 3000,
      xmlPoolQueue: 32,
      xmlWorkerHeapMb: 256,
      xmlBodyLimitLender: 20 * 1024 * 1024,
      xmlBodyLimitAdviceSoftware: 20 * 1024 * 1024,
      xmlBodyLimitBankFile: 20 * 1024 * 1024,
      xmlBodyLimitRisk: 10 * 1024 * 1024,
    });
    expect(
      loadSettings({
        XML_POOL_THREADS: '4',
        XML_PARSE_TIMEOUT_MS: '1500',
        XML_POOL_QUEUE: '8',
        XML_WORKER_HEAP_MB: '128',
        XML_BODY_LIMIT_LENDER: '5242880',
        XML_BODY_LIMIT_ADVICE_SOFTWARE: '1048576',
        XML_BODY_LIMIT_BANK_FILE: '2097152',
        XML_BODY_LIMIT_RISK: '65536',
      }),
    ).toMatchObject({
      xmlPoolThreads: 4,
      xmlParseTimeoutMs: 1500,
      xmlPoolQueue: 8,
      xmlWorkerHeapMb: 128,
      xmlBodyLimitLender: 5242880,
      xmlBodyLimitAdviceSoftware: 1048576,
      xmlBodyLimitBankFile: 2097152,
      xmlBodyLimitRisk: 65536,
    });
  });

  it('has the Ockto, RISK and demo UI defaults', () => {
    const s = loadSettings({});
    expect(s).toMatchObject({
      ocktoReminderHours: 48,
      ocktoTimeoutDays: 14,
      ocktoPollSeconds: 300,
      ocktoRetentionDays: 30,
      riskPollSeconds: 60,
      demoUi: true,
    });
    expect(s.ocktoUrl).toBeUndefined();
    expect(s.ocktoToken).toBeUndefined();
    expect(s.riskUrl).toBeUndefined();
    expect(s.demoUiToken).toBeUndefined();
    // Nothing configured: no clients, and the Ockto timings are the documented defaults.
    expect(riskClientFromSettings(s)).toBeUndefined();
    expect(ocktoConfigFromSettings(s)).toEqual({ client: undefined, defaults: defaultOcktoPolicy });
    expect(defaultOcktoPolicy).toEqual({ reminderAfterSeconds: 48 * 3600, expireAfterSeconds: 14 * 86_400, pollIntervalSeconds: 300, retentionSeconds: 30 * 86_400 });
  });

  it('reads the Ockto, RISK and demo UI settings, and the integrations get plain config from them', () => {
    const s = loadSettings({
      OCKTO_URL: 'https://ockto.example.nl/api',
      OCKTO_TOKEN: 'ockto-token',
      OCKTO_REMINDER_HOURS: '24',
      OCKTO_TIMEOUT_DAYS: '7',
      OCKTO_POLL_SECONDS: '60',
      OCKTO_RETENTION_DAYS: '10',
      RISK_URL: 'https://risk.example.nl',
      RISK_TOKEN: 'risk-token',
      RISK_POLL_SECONDS: '30',
      DEMO_UI: 'OFF',
      DEMO_UI_TOKEN: 'dfl_adviser_x',
    });
    expect(s).toMatchObject({
      ocktoUrl: 'https://ockto.example.nl/api',
      ocktoToken: 'ockto-token',
      ocktoReminderHours: 24,
      ocktoTimeoutDays: 7,
      ocktoPollSeconds: 60,
      ocktoRetentionDays: 10,
      riskUrl: 'https://risk.example.nl',
      riskToken: 'risk-token',
      riskPollSeconds: 30,
      demoUi: false,
      demoUiToken: 'dfl_adviser_x',
    });
    const ockto = ocktoConfigFromSettings(s);
    expect(ockto.client).toBeDefined();
    expect(ockto.defaults).toEqual({ reminderAfterSeconds: 24 * 3600, expireAfterSeconds: 7 * 86_400, pollIntervalSeconds: 60, retentionSeconds: 10 * 86_400 });
    expect(riskClientFromSettings(s)).toBeDefined();
    expect(loadSettings({ DEMO_UI: 'on' }).demoUi).toBe(true);
  });

  it('reads the office mailboxes (IMAP_MAILBOXES) and never echoes a refused one (it holds a password)', () => {
    expect(loadSettings({})).toMatchObject({ imapMailboxes: {}, imapPollSeconds: 60 });
    const a = '11111111-2222-4333-8444-555555555555';
    const b = '66666666-7777-4888-9999-AAAAAAAAAAAA';
    const s = loadSettings({ IMAP_MAILBOXES: `${a}=imap://kantoor:geheim@127.0.0.1:1143/INBOX\n  ${b}=imaps://info%40b.nl:pw@mail.b.nl`, IMAP_POLL_SECONDS: '30' });
    expect(s.imapMailboxes).toEqual({ [a]: 'imap://kantoor:geheim@127.0.0.1:1143/INBOX', [b.toLowerCase()]: 'imaps://info%40b.nl:pw@mail.b.nl' });
    expect(s.imapPollSeconds).toBe(30);
    const problems = problemsOf({ IMAP_MAILBOXES: `${a}=imap://kantoor@127.0.0.1 nooffice=imap://u:secretpw@h imap://u:secretpw@h ${a}=pop3://u:secretpw@h`, IMAP_POLL_SECONDS: '1' });
    expect(problems).toHaveLength(5);
    expect(problems.join('\n')).not.toContain('secretpw');
    expect(problems.every((p) => /^IMAP_(MAILBOXES|POLL_SECONDS): /.test(p))).toBe(true);
  });

  it('reports every bad value at once', () => {
    const problems = problemsOf({ PORT: 'x', SMTP_PORT: '-1', LOG_LEVEL: 'loud' });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['LOG_LEVEL', 'PORT', 'SMTP_PORT']);
    expect(() => loadSettings({ PORT: 'x' })).toThrow(/Invalid settings \(1 problem\):\n {2}- PORT/);
  });
});
