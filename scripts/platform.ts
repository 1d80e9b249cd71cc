/**
 * `npm start` (via scripts/start.sh): starts the whole platform on this machine.
 *
 *   PostgreSQL (embedded, unless DATABASE_URL) → migrations → seed
 *   → Temporal dev server (unless TEMPORAL_ADDRESS) → SMTP peer (unless SMTP_URL)
 *   → worker and API as supervised child processes (restarted when they die).
 *
 * Ctrl-C / SIGTERM stops everything in reverse order and exits 0. Data lives under DATA_DIR
 * (PostgreSQL cluster, temporal.sqlite, mail folder) and is reused by the next start.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadSettings, projectRoot, SettingsError, type Settings } from '../config/settings.js';
import { startEmbeddedPostgres } from '../db/embedded-postgres.js';
import { startTemporalDevServer } from '../integrations/temporal/dev-server.js';
import { toolPaths } from '../integrations/temporal/tools.js';
import { startSmtpPeer } from '../simulators/smtp/smtp-peer.js';
import { isScenarioName, startLenderSimulator } from '../simulators/lender/index.js';
import { CREDENTIALS_FILE, DEMO_CREDITOR, DEMO_HDN_NODES, DEMO_LENDER } from './seed.js';
import { DEMO_PKI_DIR, DEMO_PLATFORM_PORT, ensureDemoPki } from '../integrations/hdn/platform/test-pki.js';
import { startBankSimulator } from '../simulators/bank/index.js';
import { startClamdPeer } from '../simulators/clamd/index.js';
import { isOcktoScenarioName, startOcktoSimulator } from '../simulators/ockto/index.js';
import { isRiskScenarioName, riskScenarioNames, startRiskSimulator } from '../simulators/risk/index.js';
import { runOnce, Supervised } from './lib/children.js';
import { dovecotBinary, startDovecot } from '../simulators/imap/dovecot.js';
import { seedDemoMailbox } from '../simulators/imap/demo-mails.js';
import { imapAccountFromUrl } from '../integrations/imap/account.js';
import { createOrm, DEFAULT_POOL_MAX } from '../db/orm.js';
import { DEMO_OFFICE_NAME } from './seed.js';
import { guardOutput, writeOut } from './lib/output.js';


const log = (line: string) => writeOut('stdout', `[platform] ${line}\n`);
const warn = (line: string) => writeOut('stderr', `[platform] WARNING: ${line}\n`);
const out = (line: string) => writeOut('stdout', line);

/** Things to stop, in start order; stopped in reverse. `killNow` is the synchronous last resort. */
const stack: { name: string; stop: () => Promise<void>; killNow?: () => void; supervised?: boolean }[] = [];
const services: Supervised[] = [];
let shuttingDown = false;
/** The start step in flight; shutdown waits for it so nothing half-started is left behind. */
let pending: Promise<unknown> | undefined;

/** Awaits a start step and registers its stop function the moment it is up. */
/** The demo office's id (made by scripts/seed.ts), for its mailbox. */
async function demoOfficeId(databaseUrl: string): Promise<string> {
  const orm = await createOrm(databaseUrl, { pool: { min: 0, max: 1 } });
  try {
    const [office] = await orm.em.fork().execute<{ id: string }[]>('select id from offices where name = ? order by created_at limit 1', [DEMO_OFFICE_NAME]);
    if (!office) throw new Error(`the seed made no office named ${DEMO_OFFICE_NAME}`);
    return office.id;
  } finally {
    await orm.close(true);
  }
}

function track<T>(name: string, starting: Promise<T>, stopOf: (value: T) => () => Promise<void>, killOf?: (value: T) => () => void): Promise<T> {
  const tracked = starting.then((value) => {
    stack.push({ name, stop: stopOf(value), ...(killOf ? { killNow: killOf(value) } : {}) });
    return value;
  });
  pending = tracked;
  return tracked;
}

async function main(): Promise<void> {
  let settings: Settings;
  try {
    settings = loadSettings();
  } catch (err) {
    if (err instanceof SettingsError) {
      writeOut('stderr', `${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const { dataDir } = settings;
  // API replicas share one port through SO_REUSEPORT, which Node offers on Linux (and a few BSDs)
  // only; elsewhere run one API per host (or container) behind a load balancer.
  if (settings.apiReplicas > 1 && !['linux', 'freebsd'].includes(process.platform)) {
    writeOut('stderr', `${new SettingsError([`API_REPLICAS: more than one API on one port needs SO_REUSEPORT (Linux, FreeBSD); this is ${process.platform}`]).message}\n`);
    process.exit(1);
  }
  await mkdir(dataDir, { recursive: true });
  log(`data directory ${dataDir}`);

  // ---------------------------------------------------------------- PostgreSQL
  let databaseUrl = settings.databaseUrl;
  let pgInfo = 'external (DATABASE_URL)';
  if (!databaseUrl) {
    const pg = await track(
      'PostgreSQL',
      startEmbeddedPostgres({
        dataDir: path.join(dataDir, 'postgres'),
        port: settings.pgPort,
        database: 'dossierflow',
        maxConnections: connectionsNeeded(settings),
        log: (line) => out(`[postgres] ${line}\n`),
      }),
      (v) => v.stop,
    );
    childPids.postgres = pg.pid;
    databaseUrl = pg.url;
    pgInfo = `embedded, data ${pg.dataDir}`;
  }
  if (shuttingDown) return;

  // ---------------------------------------------------------------- Temporal
  let temporalAddress = settings.temporalAddress;
  let temporalUi: string | undefined;
  if (!temporalAddress) {
    const cli = settings.temporalCli ?? toolPaths().temporalCli;
    log(`starting Temporal dev server (${cli}) on 127.0.0.1:${settings.temporalPort}`);
    const temporal = await track(
      'Temporal dev server',
      startTemporalDevServer({
        cli,
        port: settings.temporalPort,
        uiPort: settings.temporalUiPort,
        namespace: settings.temporalNamespace,
        dataDir: path.join(dataDir, 'temporal'),
        log: (line) => writeOut('stderr', `[temporal] ${line}\n`),
      }),
      (v) => v.stop,
      (v) => () => killGroup(v.pid),
    );
    childPids.temporal = temporal.pid;
    temporalAddress = temporal.address;
    temporalUi = temporal.uiUrl;
    log(`Temporal ready on ${temporal.address} (pid ${temporal.pid}, state ${temporal.dbFile})`);
  }
  if (shuttingDown) return;

  // ---------------------------------------------------------------- SMTP peer
  let smtpUrl = settings.smtpUrl;
  let mailUi: string | undefined;
  if (!smtpUrl) {
    const peer = await track(
      'SMTP peer',
      startSmtpPeer({
        smtpPort: settings.smtpPort,
        httpPort: settings.mailUiPort,
        dir: path.join(dataDir, 'mail'),
        log: (line) => out(`[smtp] ${line}\n`),
      }),
      (v) => v.stop,
    );
    smtpUrl = peer.smtpUrl;
    mailUi = peer.uiUrl;
    log(`SMTP peer ready on ${peer.smtpUrl} (mailbox ${peer.uiUrl}, folder ${peer.dir})`);
  }
  if (shuttingDown) return;

  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: settings.temporalNamespace,
    TASK_QUEUE: settings.taskQueue,
    SMTP_URL: smtpUrl,
    ...(mailUi ? { MAIL_UI_URL: mailUi } : {}),
    HOST: settings.host,
    PORT: String(settings.port),
    PUBLIC_URL: settings.publicUrl,
    API_REPLICAS: String(settings.apiReplicas),
  };

  // ---------------------------------------------------------------- migrations and seed
  for (const [file, what] of [
    ['db/migrate.ts', 'migrations'],
    ['scripts/seed.ts', 'seed'],
  ] as const) {
    if (!existsSync(path.join(projectRoot, file))) {
      warn(`${file} does not exist yet: skipping ${what}`);
      continue;
    }
    log(`running ${what} (${file})`);
    pending = runOnce(file, { cwd: projectRoot, env: childEnv, prefix: `[${what}]` });
    await pending;
    if (shuttingDown) return;
  }

  // ---------------------------------------------------------------- simulated lender (HDN gateway)
  let lenderUi: string | undefined;
  let platformInfo: string | undefined;
  if (!settings.hdnGatewayUrl) {
    if (!isScenarioName(settings.lenderScenario)) {
      throw new SettingsError([`LENDER_SCENARIO: unknown scenario ${JSON.stringify(settings.lenderScenario)}`]);
    }
    const credentials = JSON.parse(await readFile(path.join(dataDir, CREDENTIALS_FILE), 'utf8')) as Record<string, string>;
    const lenderToken = credentials.lender;
    if (!lenderToken) throw new Error(`${CREDENTIALS_FILE} holds no lender credential: run the seed`);
    const inboundToken = randomBytes(24).toString('hex');
    // HDN_TRANSPORT=platform: the lender and we talk over the HDN API platform (JSON envelope,
    // mutual TLS) instead of bearer-token XML. The demo's certificates are made once into
    // DATA_DIR with the tests' code (a throw-away CA; real node certificates come from HDN).
    const overPlatform = settings.hdnTransport === 'platform';
    const platformPort = settings.hdnPlatformPort ?? DEMO_PLATFORM_PORT;
    const pki = overPlatform
      ? await ensureDemoPki(path.join(dataDir, DEMO_PKI_DIR), settings.hdnNode, [DEMO_LENDER.node, DEMO_HDN_NODES.advice_software])
      : undefined;
    const lenderCert = pki?.nodes[DEMO_LENDER.node];
    const lender = await track(
      'simulated lender',
      startLenderSimulator({
        port: settings.lenderPort,
        nodeNumber: DEMO_LENDER.node,
        name: DEMO_LENDER.name,
        inboundToken,
        deliverTo: { url: `http://127.0.0.1:${settings.port}/hdn/messages`, token: lenderToken },
        ...(pki && lenderCert
          ? {
              platform: {
                port: settings.lenderPlatformPort,
                tls: { key: lenderCert.key, cert: lenderCert.cert, ca: pki.ca.cert },
                deliverUrl: `https://127.0.0.1:${platformPort}/hdn/platform/messages`,
              },
            }
          : {}),
        scenario: settings.lenderScenario,
        stepDelayMs: settings.lenderStepDelayMs,
        log: (line) => out(`[lender] ${line}\n`),
      }),
      (v) => v.stop,
    );
    // The XML gateway stays configured (a lender outside HDN_PLATFORM_NODES with HDN_TRANSPORT=xml uses it).
    childEnv.HDN_GATEWAY_URL = lender.inboundUrl;
    childEnv.HDN_GATEWAY_TOKEN = inboundToken;
    if (pki && lender.platformUrl) {
      Object.assign(childEnv, {
        HDN_TRANSPORT: 'platform',
        HDN_PLATFORM_PORT: String(platformPort),
        HDN_PLATFORM_URL: lender.platformUrl,
        HDN_PLATFORM_TLS_KEY: pki.ours.keyFile,
        HDN_PLATFORM_TLS_CERT: pki.ours.certFile,
        HDN_PLATFORM_TLS_CA: pki.ca.certFile,
      });
      platformInfo = `https://${settings.host}:${platformPort}/hdn/platform/messages (mutual TLS; certificates in ${pki.dir})`;
    }
    lenderUi = lender.url;
    log(
      `simulated lender ${DEMO_LENDER.name} (${DEMO_LENDER.node}) on ${lender.url}, scenario ${settings.lenderScenario}` +
        (lender.platformUrl ? `, over the HDN platform (its listener ${lender.platformUrl})` : ', over bearer-token XML'),
    );
  }
  if (shuttingDown) return;

  // ---------------------------------------------------------------- simulated bank (SEPA)
  const bankToken = randomBytes(24).toString('hex');
  const bank = await track(
    'simulated bank',
    startBankSimulator({ port: settings.bankPort, token: bankToken, accountIban: DEMO_CREDITOR.iban, log: (line) => out(`[bank] ${line}\n`) }),
    (v) => v.stop,
  );
  await writeFile(path.join(dataDir, 'bank.json'), `${JSON.stringify({ url: bank.url, collectionsUrl: bank.collectionsUrl, token: bankToken }, null, 2)}\n`, { mode: 0o600 });
  log(`simulated bank on ${bank.url} (token in ${path.join(dataDir, 'bank.json')})`);
  if (shuttingDown) return;

  // ---------------------------------------------------------------- simulated Ockto (unless OCKTO_URL names a real adapter)
  let ocktoUi: string | undefined;
  if (!settings.ocktoUrl) {
    if (!isOcktoScenarioName(settings.ocktoScenario)) throw new SettingsError([`OCKTO_SCENARIO: unknown scenario ${JSON.stringify(settings.ocktoScenario)}`]);
    const credentials = JSON.parse(await readFile(path.join(dataDir, CREDENTIALS_FILE), 'utf8')) as Record<string, string>;
    if (!credentials.ockto) throw new Error(`${CREDENTIALS_FILE} holds no ockto credential: run the seed`);
    const ocktoToken = randomBytes(24).toString('hex');
    const ockto = await track(
      'simulated Ockto',
      startOcktoSimulator({
        port: settings.ocktoPort,
        token: ocktoToken,
        deliverTo: { url: `http://127.0.0.1:${settings.port}/ockto/callbacks`, token: credentials.ockto },
        scenario: settings.ocktoScenario,
        log: (line) => out(`[ockto] ${line}\n`),
      }),
      (v) => v.stop,
    );
    childEnv.OCKTO_URL = ockto.url;
    childEnv.OCKTO_TOKEN = ocktoToken;
    ocktoUi = `${ockto.url}/admin/sessions`;
    log(`simulated Ockto on ${ockto.url}, scenario ${settings.ocktoScenario}`);
  }
  if (shuttingDown) return;

  // ---------------------------------------------------------------- simulated RISK (unless RISK_URL names the real one)
  let riskUi: string | undefined;
  if (settings.riskUrl) {
    childEnv.RISK_URL = settings.riskUrl;
    childEnv.RISK_TOKEN = settings.riskToken ?? '';
  } else {
    if (!isRiskScenarioName(settings.riskScenario)) {
      throw new SettingsError([`RISK_SCENARIO: unknown scenario ${JSON.stringify(settings.riskScenario)}; known: ${riskScenarioNames.join(', ')}`]);
    }
    const credentials = JSON.parse(await readFile(path.join(dataDir, CREDENTIALS_FILE), 'utf8')) as Record<string, string>;
    if (!credentials.risk) throw new Error(`${CREDENTIALS_FILE} holds no risk credential: run the seed`);
    const riskToken = randomBytes(24).toString('hex');
    const risk = await track(
      'simulated RISK',
      startRiskSimulator({
        port: settings.riskPort,
        token: riskToken,
        deliverTo: { url: `http://127.0.0.1:${settings.port}/risk/messages`, token: credentials.risk },
        scenario: settings.riskScenario,
        log: (line) => out(`[risk] ${line}\n`),
      }),
      (v) => v.stop,
    );
    childEnv.RISK_URL = risk.url;
    childEnv.RISK_TOKEN = riskToken;
    // The simulated RISK writes with the SYNTHETIC AFD definition; the built-in mapping has no
    // AL_FUNCTIE codes (RISK's are not public), so worker and API read with the synthetic mapping
    // unless RISK_AFD_MAPPING names another file.
    if (!settings.riskAfdMapping) {
      childEnv.RISK_AFD_MAPPING = path.join(projectRoot, 'integrations', 'risk', 'fixtures', 'afd-mapping.synthetic.json');
      log('RISK AFD mapping: the synthetic one (integrations/risk/fixtures/afd-mapping.synthetic.json), matching the simulated RISK');
    }
    riskUi = `${risk.url}/admin/quotes`;
    log(`simulated RISK on ${risk.url}, scenario ${settings.riskScenario}`);
  }
  if (shuttingDown) return;

  // ---------------------------------------------------------------- clamd peer (unless CLAMD_ADDRESS names a real clamd)
  // The peer speaks clamd's INSTREAM protocol but knows only the EICAR test string: it shows the
  // scan path (an EICAR upload is refused as infected), it does not protect anything.
  let clamdInfo: string;
  if (settings.clamdAddress) {
    childEnv.CLAMD_ADDRESS = settings.clamdAddress;
    clamdInfo = settings.clamdAddress;
  } else {
    const clamd = await track('clamd peer', startClamdPeer({ port: 0 }), (v) => v.stop);
    childEnv.CLAMD_ADDRESS = clamd.address;
    clamdInfo = `${clamd.address} (peer: finds only the EICAR test string)`;
    log(`clamd peer on ${clamd.address}: uploads are scanned over INSTREAM (EICAR only)`);
  }
  if (shuttingDown) return;

  // ---------------------------------------------------------------- IMAP mailbox of the demo office (inbound mail)
  // Unless IMAP_MAILBOXES names real mailboxes: a private dovecot (when Debian's dovecot-imapd is
  // installed) in DATA_DIR/imap for the demo office, with two demo mails the first time. Without
  // dovecot the platform starts as before, only without inbound mail.
  let imapInfo: string;
  if (Object.keys(settings.imapMailboxes).length > 0) {
    imapInfo = `IMAP_MAILBOXES (${Object.keys(settings.imapMailboxes).length} office mailbox(es))`;
  } else if (!dovecotBinary()) {
    imapInfo = '(off: dovecot not installed; apt-get install dovecot-imapd, or set IMAP_MAILBOXES)';
    log('inbound mail off: dovecot is not installed (scripts/install-tools.sh installs it as root) and IMAP_MAILBOXES is not set');
  } else {
    try {
      const officeId = await demoOfficeId(databaseUrl);
      const user = { user: 'demo-kantoor', password: randomBytes(12).toString('hex') };
      const dovecot = await track('dovecot', startDovecot({ dir: path.join(dataDir, 'imap'), users: [user] }), (v) => v.stop);
      const url = dovecot.urlOf(user);
      childEnv.IMAP_MAILBOXES = `${officeId}=${url}`;
      childEnv.IMAP_POLL_SECONDS ??= '15';
      const seeded = await seedDemoMailbox(imapAccountFromUrl(url));
      imapInfo = `imap://127.0.0.1:${dovecot.port} (dovecot, user ${user.user}; polled every ${childEnv.IMAP_POLL_SECONDS} s)`;
      log(`dovecot for the demo office's mailbox on 127.0.0.1:${dovecot.port}${seeded > 0 ? `, ${seeded} demo mails put in` : ''}`);
    } catch (err) {
      imapInfo = '(off: dovecot did not start, see the log above)';
      warn(`inbound mail off: the demo dovecot did not start: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (shuttingDown) return;

  // ---------------------------------------------------------------- web UI demo sign-in
  // On a loopback address the local demo hands the UI its demo adviser token (GET /ui-config),
  // so the printed UI URL opens signed in. Never on another address: there the adviser pastes a token.
  const loopback = ['127.0.0.1', 'localhost', '::1'].includes(settings.host);
  let uiNote = '';
  if (loopback && settings.demoUi) {
    const credentials = JSON.parse(await readFile(path.join(dataDir, CREDENTIALS_FILE), 'utf8')) as Record<string, string>;
    if (credentials.adviser) {
      childEnv.DEMO_UI_TOKEN = credentials.adviser;
      uiNote = ' (signed in as the demo adviser)';
    }
  } else {
    delete childEnv.DEMO_UI_TOKEN;
    uiNote = ' (sign in with a token from the demo logins file)';
  }
  if (!existsSync(path.join(projectRoot, 'ui', 'dist', 'index.html'))) uiNote = ' (not built: run `npm run build:ui`)';

  // ---------------------------------------------------------------- worker and API
  const pids = childPids;
  // One write at a time, each to a temporary file renamed into place: a reader never sees
  // two overlapping writes mixed (worker and API start at the same moment) or a half-written file.
  const stateFile = path.join(dataDir, 'platform.json');
  let stateWrites: Promise<void> = Promise.resolve();
  const writeState = (): Promise<void> => {
    const text = JSON.stringify({ pid: process.pid, api: `http://${settings.host}:${settings.port}`, databaseUrl, temporalAddress, temporalUi, smtpUrl, mailUi, pids }, null, 2);
    stateWrites = stateWrites
      .then(async () => {
        await writeFile(`${stateFile}.tmp`, text);
        await rename(`${stateFile}.tmp`, stateFile);
      })
      .catch(() => undefined);
    return stateWrites;
  };
  // WORKERS worker processes and API_REPLICAS API processes, each supervised on its own (one
  // that dies is restarted; the others keep going). The first of each is named `worker` / `api`,
  // the next ones `worker-2`, `api-2`, ... (platform.json `pids`, log prefixes).
  const children: { name: string; file: string }[] = [
    ...Array.from({ length: settings.workers }, (_, i) => ({ name: i === 0 ? 'worker' : `worker-${i + 1}`, file: 'activities/worker.ts' })),
    ...Array.from({ length: settings.apiReplicas }, (_, i) => ({ name: i === 0 ? 'api' : `api-${i + 1}`, file: 'api/server.ts' })),
  ];
  for (const { name, file } of children) {
    if (!existsSync(path.join(projectRoot, file))) {
      warn(`${file} does not exist yet: not starting the ${name}`);
      continue;
    }
    const service = new Supervised({
      name,
      file,
      cwd: projectRoot,
      env: childEnv,
      log,
      onStart: (pid) => {
        const restarted = pids[name] !== undefined;
        pids[name] = pid;
        if (restarted) log(`${name} restarted, pid ${pid}`);
        void writeState();
      },
      onGiveUp: () => void shutdown('SIGTERM', 1),
    });
    services.push(service);
    stack.push({ name, stop: () => service.stop(), supervised: true });
    service.start();
  }
  await writeState();

  const apiUrl = `http://${settings.host}:${settings.port}`;
  if (pids.api !== undefined) await waitForHttp(apiUrl, 60_000);
  if (shuttingDown) return;

  const pidsOf = (kind: 'worker' | 'api') =>
    children.filter((c) => c.name === kind || c.name.startsWith(`${kind}-`)).map((c) => pids[c.name] ?? 'not started').join(', ') || 'none';
  const row = (label: string, value: string | undefined) => `  ${label.padEnd(15)}${value ?? '-'}`;
  const banner = [
    '',
    '  ======================= dossierflow is running =======================',
    row('UI', `${apiUrl}/ui/${uiNote}`),
    row('API', apiUrl),
    row('API docs', `${apiUrl}/docs`),
    row('Temporal UI', temporalUi ?? `(external Temporal at ${temporalAddress})`),
    row('Temporal', `${temporalAddress} (namespace ${settings.temporalNamespace}, task queue ${settings.taskQueue})`),
    row('Mail peer UI', mailUi ?? `(external SMTP ${smtpUrl})`),
    row('Lender (sim)', lenderUi ?? `(HDN gateway ${settings.hdnGatewayUrl ?? '-'})`),
    row('HDN platform', platformInfo ?? (settings.hdnPlatformPort !== undefined ? `https://${settings.host}:${settings.hdnPlatformPort}/hdn/platform/messages` : '(off: HDN_TRANSPORT=xml)')),
    row('Ockto (sim)', ocktoUi ?? `(Ockto adapter ${childEnv.OCKTO_URL ?? '-'})`),
    row('RISK (sim)', riskUi ?? `(RISK ${settings.riskUrl ?? '-'})`),
    row('Bank (sim)', `${bank.url} (token in ${path.join(dataDir, 'bank.json')})`),
    row('clamd', clamdInfo),
    row('IMAP', imapInfo),
    row('SMTP', smtpUrl),
    row('PostgreSQL', `${databaseUrl} (${pgInfo})`),
    row('Demo logins', path.join(dataDir, 'demo-credentials.json')),
    row('Demo passwords', path.join(dataDir, 'demo-users.json')),
    row('Data', dataDir),
    row('Workers', `${settings.workers} (pid ${pidsOf('worker')})`),
    row('API replicas', `${settings.apiReplicas} (pid ${pidsOf('api')})${settings.apiReplicas > 1 ? `, all on port ${settings.port} (SO_REUSEPORT: the kernel spreads connections)` : ''}`),
    row('PIDs', `platform ${process.pid}, worker ${pids.worker ?? 'not started'}, api ${pids.api ?? 'not started'}`),
    '  Stop with Ctrl-C (data is kept; the next start resumes it).',
    '  ========================================================================',
    '',
  ].join('\n');
  out(`${banner}\n`);
}

/** Waits until something answers HTTP at `url` (any status), or gives up with a warning. */
async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!shuttingDown && Date.now() < deadline) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(2_000) });
      return;
    } catch {
      await sleep(300);
    }
  }
  if (!shuttingDown) warn(`the API did not answer at ${url} within ${timeoutMs / 1000} s (see its output above)`);
}

async function shutdown(reason: string, code = 0): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  if (pending) await pending.catch(() => undefined);
  log(`${reason}: stopping ${stack.map((s) => s.name).reverse().join(', ') || 'nothing'}`);
  // Workers and APIs are stopped together (all before the servers they depend on).
  const supervised = stack.filter((s) => s.supervised === true);
  const rest = stack.filter((s) => !supervised.includes(s)).reverse();
  await Promise.all(supervised.map((s) => stopQuietly(s)));
  for (const s of rest) await stopQuietly(s);
  log(code === 0 ? 'stopped cleanly' : `stopped (exit code ${code})`);
  process.exit(code);
}

async function stopQuietly(s: { name: string; stop: () => Promise<void> }): Promise<void> {
  try {
    await s.stop();
    log(`stopped ${s.name}`);
  } catch (err) {
    warn(`stopping ${s.name} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * PostgreSQL connections the platform may open at once: every worker's pool (DB_POOL_MAX) and
 * every API's (the default pool of db/orm, plus its LISTEN connections: live updates, credential
 * changes), with room for the seed, psql and the HDN platform listener. Never below PostgreSQL's
 * own default of 100.
 */
function connectionsNeeded(s: Settings): number {
  return Math.max(100, s.workers * (s.dbPoolMax + 2) + s.apiReplicas * (DEFAULT_POOL_MAX + 4) + 20);
}

/** Every child process of the platform by name (platform.json `pids`; the supervisor test reads them). */
const childPids: Record<string, number | undefined> = {};

/** SIGKILL a process group led by `pid` (a child started detached), synchronously. */
function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

// Our own output closing (`npm start | tee start.log`, then Ctrl-C ends tee first; or a closed
// terminal) is a reason to stop, never a reason to die with the children still running.
guardOutput((stream, err) => void shutdown(`${stream} closed (${err.code ?? err.message})`));
// Anything else unexpected: stop the children in order, then exit 1.
process.on('uncaughtException', (err) => {
  warn(`unexpected error: ${err.stack ?? err.message}`);
  void shutdown('unexpected error', 1);
});

let signals = 0;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    signals += 1;
    if (signals === 1) void shutdown(signal);
    else if (signals >= 3) {
      warn('forced exit');
      process.exit(1);
    } else log('still stopping; press Ctrl-C again to force');
  });
}
// Last resort when the process ends some other way (forced exit): leave no child behind —
// worker/API, and the Temporal dev server in its own process group (PostgreSQL has its own
// exit hook in db/embedded-postgres.ts).
process.on('exit', () => {
  for (const s of services) s.killNow();
  for (const s of stack) s.killNow?.();
});

main().catch((err: unknown) => {
  writeOut('stderr', `\n[platform] FAILED TO START: ${err instanceof Error ? err.message : String(err)}\n\n`);
  void shutdown('start failure', 1);
});
