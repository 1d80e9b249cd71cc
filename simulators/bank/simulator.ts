/**
 * A simulated bank over HTTP for SEPA direct debits: takes our pain.008 batches and reports
 * them back the way real banks do, in the shape its reporting setting asks (statement.ts):
 * the credit per transaction, as a batch (NtryDtls/Btch only) or as a batch with TxDtls;
 * returns (*stornering*) in the same statement, in a later camt.054 or in a camt.054 delivered
 * before the credit; rejects before settlement (*afkeuring*) as a pain.002, left out of the
 * credit; camt .001.02 or .001.08. Which collections come back, and how, is chosen by rules.
 * Used by `npm start`-style setups and by tests.
 *
 * HTTP API (bank endpoints need `authorization: Bearer <token>`; errors are problem+json)
 *   POST /collections              body: pain.008.001.02/.08 XML; optional query credit=, returns=,
 *                                  version= (this batch's reporting, over the current setting)
 *                                    202 {"batchId","messageId","transactions":[{"endToEndId","amountCents"}],
 *                                         "statementUrl","reporting","files":[{"kind","url"}]}
 *                                    (files: what the bank delivers, in its order: status-report,
 *                                    statement, returns)
 *                                    400 not a valid pain.008 (detail names the element) or a bad
 *                                    reporting parameter, 401, 413,
 *                                    409 MsgId already received (duplicate file), 422 creditor account not at this bank
 *   GET  /statements/:batchId      the credit statement: camt.053 (application/xml); ?format=camt.054
 *                                  for a notification; ?credit= ?returns= ?version= override the
 *                                  batch's reporting for this answer; 404 unknown batch
 *   GET  /statements/:batchId/returns        camt.054 with the returns only (404 when the returns
 *                                            are in the statement, or nothing came back)
 *   GET  /statements/:batchId/status-report  pain.002.001.03 with the rejects (404 when none)
 *   GET  /admin/returns            JSON: the current return rules
 *   PUT  /admin/returns            JSON: [ReturnRule] or {"rules":[ReturnRule]}; applies to batches received afterwards
 *   GET  /admin/reporting          JSON: the current reporting setting
 *   PUT  /admin/reporting          JSON: {"credit"?,"returns"?,"version"?}; applies to batches received afterwards
 *   GET  /health                   {"status":"ok"}
 *
 * Returns and rejects are decided when a batch is accepted (a real debtor bank decides once),
 * so a file fetched twice is the same (its creation time aside, when no clock is given).
 * Admin endpoints have no authentication: loopback only.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkIban } from '../../domain/iban.js';
import { buildCamtFile } from '../../integrations/sepa/camt.js';
import { buildPain002 } from '../../integrations/sepa/pain002-build.js';
import { readPain008, type Pain008Document } from '../../integrations/sepa/pain008-read.js';
import { SepaError } from '../../integrations/sepa/types.js';
import { BodyTooLargeError, hasBearer, readBody, sendJson, sendProblem } from '../lender/http.js';
import { parseReporting, parseReturnRules, returnRuleFor, type BankReporting, type ReturnRule } from './returns.js';
import { batchFrom, creditStatement, deliveries, returnsNotification, statusReport, type Batch, type DeliveryKind } from './statement.js';

export interface BankSimulatorOptions {
  /** 0 picks a free port. */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Bearer token required on /collections and /statements. */
  token: string;
  /** Our (the creditor's) account at this bank; batches for other accounts are refused. */
  accountIban: string;
  returns?: ReturnRule[];
  /** How batches are reported (default: per transaction, returns with the credit, .001.02). */
  reporting?: Partial<BankReporting>;
  /** Largest accepted pain.008, default 20 MiB. */
  maxBodyBytes?: number;
  /** Clock for statement creation times (tests). */
  now?: () => Date;
  log?: (line: string) => void;
}

export interface BankSimulator {
  /** Base URL, e.g. http://127.0.0.1:8092. */
  url: string;
  /** Where pain.008 goes: `${url}/collections`. */
  collectionsUrl: string;
  stop(): Promise<void>;
  /** Snapshot of the accepted batches, in arrival order. */
  batches(): Batch[];
  setReturnRules(rules: ReturnRule[]): void;
  /** Sets (part of) the reporting for batches received afterwards; returns the whole setting. */
  setReporting(reporting: Partial<BankReporting>): BankReporting;
}

const DEFAULT_MAX_BODY = 20 * 1024 * 1024;

export async function startBankSimulator(options: BankSimulatorOptions): Promise<BankSimulator> {
  const account = checkIban(options.accountIban);
  if (!account.ok) throw new TypeError(`bank simulator accountIban: ${account.reason}`);
  const ownIban = account.iban;
  if (!options.token || /\s/.test(options.token)) throw new TypeError('bank simulator token must be a non-empty string without whitespace');
  const log = options.log ?? (() => undefined);
  const now = options.now ?? (() => new Date());
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  let rules = parseReturnRules(options.returns ?? []);
  let reporting = parseReporting(options.reporting ?? {});
  const batches = new Map<string, Batch>();
  const byMessageId = new Map<string, string>();

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log(`bank: internal error: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) sendProblem(res, 500, 'Internal error', 'the simulated bank failed');
      else res.end();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://bank.invalid');
    const method = req.method ?? 'GET';
    if (method === 'GET' && url.pathname === '/health') return sendJson(res, 200, { status: 'ok' });
    if (url.pathname === '/admin/returns') {
      if (method === 'GET') return sendJson(res, 200, { rules });
      if (method === 'PUT') return putReturns(req, res);
      return sendProblem(res, 405, 'Method not allowed', `${method} ${url.pathname}`, {}, { allow: 'GET, PUT' });
    }
    if (url.pathname === '/admin/reporting') {
      if (method === 'GET') return sendJson(res, 200, { reporting });
      if (method === 'PUT') return putReporting(req, res);
      return sendProblem(res, 405, 'Method not allowed', `${method} ${url.pathname}`, {}, { allow: 'GET, PUT' });
    }
    if (url.pathname === '/collections' || url.pathname.startsWith('/statements/')) {
      if (!hasBearer(req, options.token)) {
        return sendProblem(res, 401, 'Unauthorized', 'a valid bearer token is required', {}, { 'www-authenticate': 'Bearer' });
      }
      if (url.pathname === '/collections' && method === 'POST') return postCollections(req, res, url.searchParams);
      const file = /^\/statements\/([A-Za-z0-9-]+)(?:\/(returns|status-report))?$/.exec(url.pathname);
      if (file && method === 'GET') return getFile(res, file[1] ?? '', (file[2] ?? 'statement') as DeliveryKind, url.searchParams);
    }
    sendProblem(res, 404, 'Not found', `${method} ${url.pathname}`);
  }

  /** The reporting asked by query parameters (credit, returns, version) over `base`; a problem answer when they are wrong. */
  function reportingOf(res: http.ServerResponse, query: URLSearchParams, base: BankReporting): BankReporting | undefined {
    const asked: Record<string, string> = {};
    for (const key of ['credit', 'returns', 'version']) {
      const v = query.get(key);
      if (v !== null) asked[key] = v;
    }
    try {
      return parseReporting(asked, base);
    } catch (err) {
      sendProblem(res, 400, 'Invalid reporting', err instanceof Error ? err.message : String(err));
      return undefined;
    }
  }

  async function postCollections(req: http.IncomingMessage, res: http.ServerResponse, query: URLSearchParams): Promise<void> {
    const asked = reportingOf(res, query, reporting);
    if (!asked) return;
    let body: Buffer;
    try {
      body = await readBody(req, maxBody);
    } catch (err) {
      if (err instanceof BodyTooLargeError) return sendProblem(res, 413, 'Payload too large', err.message);
      throw err;
    }
    let doc: Pain008Document;
    try {
      doc = readPain008(body);
    } catch (err) {
      if (!(err instanceof SepaError)) throw err;
      log(`bank: refused a pain.008: ${err.message}`);
      return sendProblem(res, 400, 'Invalid pain.008', err.message, { errorType: err.type, ...(err.path ? { element: err.path } : {}) });
    }
    const foreign = doc.paymentInfos.find((pi) => pi.creditor.iban.replace(/\s+/g, '').toUpperCase() !== ownIban);
    if (foreign) {
      return sendProblem(res, 422, 'Unknown account', `creditor account ${foreign.creditor.iban} (PmtInf ${foreign.id}) is not held at this bank`);
    }
    const existing = byMessageId.get(doc.messageId);
    if (existing !== undefined) {
      return sendProblem(res, 409, 'Duplicate file', `MsgId ${doc.messageId} was already received as batch ${existing}`, { batchId: existing });
    }
    const batchId = `B${randomBytes(6).toString('hex').toUpperCase()}`;
    const batch = batchFrom(batchId, doc, now(), (tx) => returnRuleFor(rules, tx), asked);
    batches.set(batchId, batch);
    byMessageId.set(doc.messageId, batchId);
    const returned = batch.transactions.filter((t) => t.returnReason !== undefined).length;
    const rejected = batch.transactions.filter((t) => t.rejectReason !== undefined).length;
    log(
      `bank: batch ${batchId} (MsgId ${doc.messageId}): ${batch.transactions.length} collections, ${returned} to be returned, ${rejected} rejected; ` +
        `credit ${asked.credit}, returns ${asked.returns}, camt ${asked.version}`,
    );
    sendJson(res, 202, {
      batchId,
      messageId: doc.messageId,
      transactions: batch.transactions.map((t) => ({ endToEndId: t.endToEndId, amountCents: t.amountCents })),
      statementUrl: `${baseUrl}/statements/${batchId}`,
      reporting: batch.reporting,
      files: deliveries(batch).map((kind) => ({ kind, url: fileUrl(batchId, kind) })),
    });
  }

  function fileUrl(batchId: string, kind: DeliveryKind): string {
    return `${baseUrl}/statements/${batchId}${kind === 'statement' ? '' : `/${kind}`}`;
  }

  function getFile(res: http.ServerResponse, batchId: string, kind: DeliveryKind, query: URLSearchParams): void {
    const batch = batches.get(batchId);
    if (!batch) return sendProblem(res, 404, 'Unknown batch', `no batch ${batchId}`);
    const shape = reportingOf(res, query, batch.reporting);
    if (!shape) return;
    let xml: string;
    if (kind === 'status-report') {
      const report = statusReport(batch);
      if (!report) return sendProblem(res, 404, 'No status report', `the bank rejected no collection of batch ${batchId}`);
      xml = buildPain002(report);
    } else if (kind === 'returns') {
      const notification = returnsNotification(batch, now(), shape);
      if (!notification) {
        return sendProblem(res, 404, 'No returns notification', `batch ${batchId} has ${shape.returns === 'with-credit' ? 'its returns in the statement' : 'no returned collection'}`);
      }
      xml = buildCamtFile('camt.054', [notification], { version: shape.version });
    } else {
      const format = query.get('format') ?? 'camt.053';
      if (format !== 'camt.053' && format !== 'camt.054') return sendProblem(res, 400, 'Unknown format', 'format must be camt.053 or camt.054');
      xml = buildCamtFile(format, [creditStatement(batch, format, now(), shape)], { version: shape.version });
    }
    res.writeHead(200, { 'content-type': 'application/xml; charset=utf-8' });
    res.end(xml);
  }

  async function putReporting(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      reporting = parseReporting(JSON.parse((await readBody(req, 64 * 1024)).toString('utf8')), reporting);
    } catch (err) {
      if (err instanceof BodyTooLargeError) return sendProblem(res, 413, 'Payload too large', err.message);
      return sendProblem(res, 400, 'Invalid reporting', err instanceof Error ? err.message : String(err));
    }
    log(`bank: reporting set: credit ${reporting.credit}, returns ${reporting.returns}, camt ${reporting.version}`);
    sendJson(res, 200, { reporting });
  }

  async function putReturns(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let value: unknown;
    try {
      value = JSON.parse((await readBody(req, 1024 * 1024)).toString('utf8'));
      rules = parseReturnRules(value);
    } catch (err) {
      if (err instanceof BodyTooLargeError) return sendProblem(res, 413, 'Payload too large', err.message);
      return sendProblem(res, 400, 'Invalid return rules', err instanceof Error ? err.message : String(err));
    }
    log(`bank: ${rules.length} return rule(s) set`);
    sendJson(res, 200, { rules });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const baseUrl = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  log(`bank: listening on ${baseUrl} for account ${ownIban}`);

  return {
    url: baseUrl,
    collectionsUrl: `${baseUrl}/collections`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
    batches: () => structuredClone([...batches.values()]),
    setReturnRules: (next) => {
      rules = parseReturnRules(next);
    },
    setReporting: (next) => {
      reporting = parseReporting(next, reporting);
      return { ...reporting };
    },
  };
}
