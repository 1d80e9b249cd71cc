/**
 * The hostile-but-valid XML bodies of issue 16 against every XML endpoint (POST /hdn/messages,
 * /billing/bank-imports, /risk/messages): each is answered 4xx problem+json naming the limit,
 * nothing is stored, and a GET /health/live sent while it is being read is answered. Parsing
 * runs in the app's XML pool (integrations/xml/pool.ts); the limits are counted by the lexer's
 * scan in the thread, before a tree is built, and the counting limits also by the limit scan on
 * the bytes as they arrive (a body over one is read only up to there, and answered the same).
 * Per-party body limits (XML_BODY_LIMIT_*) are checked while the body is read.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { defaultXmlBodyLimits } from '../../api/plugins/xml-body.js';
import { MAX_HELD, RefusedXmlBodies } from '../../api/plugins/xml-refusals.js';
import { issueCredential } from '../../services/access/store.js';
import type { MikroORM } from '../../db/orm.js';
import { XmlParsePool } from '../../integrations/xml/index.js';
import { bearer, createTestOffice, openOrm, temporalStub, type TestOffice } from './support.js';

const OUR_NODE = 'DFLT01';

let orm: MikroORM;
let app: FastifyInstance;
let office: TestOffice;
let lenderToken: string;
let adviceToken: string;
let riskToken: string;

async function partyToken(role: 'advice_software' | 'lender' | 'risk', node: string | null): Promise<string> {
  const issued = await issueCredential(orm.em.fork(), { officeId: office.officeId, name: `test ${role}`, role });
  await orm.em.fork().execute('update api_credentials set hdn_node = ? where id = ?', [node, issued.id]);
  return issued.token;
}

beforeAll(async () => {
  orm = await openOrm();
  office = await createTestOffice(orm, 'XML-kantoor');
  lenderToken = await partyToken('lender', 'LNXML1');
  adviceToken = await partyToken('advice_software', 'ASXML1');
  riskToken = await partyToken('risk', null);
  app = buildApp({ orm, temporal: temporalStub(), hdn: { node: OUR_NODE } });
  await app.ready();
}, 120_000);

afterAll(async () => {
  await app?.close();
  await orm?.close(true);
});

// ---- the hostile bodies of the issue ----------------------------------------------------

/** 1.15 million attributes in 19.6 MB (17 bytes each), under the 20 MiB body limit. */
function manyAttributes(root: string): string {
  const element = `<x ${Array.from({ length: 10 }, (_, i) => `a${i}="xxxxxxxxxx"`).join(' ')}/>`;
  return `<${root}>${element.repeat(115_000)}</${root}>`;
}
/** 4.5 million flat elements in 18 MB. */
const flatElements = (root: string): string => `<${root}>${'<a/>'.repeat(4_500_000)}</${root}>`;
/** 100,000 levels deep. */
const deepNesting = (root: string): string => `<${root}>${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</${root}>`;
/** Billion laughs: ten levels of entities, each ten of the one below. */
const billionLaughs = (root: string): string => `<?xml version="1.0"?>
<!DOCTYPE ${root} [
  <!ENTITY lol "lol">
  ${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('\n  ')}
]>
<${root}>&lol9;</${root}>`;

interface Hostile {
  body: (root: string) => string;
  status: number;
  detail: RegExp;
}

const hostile: Record<string, Hostile> = {
  '1.15 M attributes (19.6 MB)': { body: manyAttributes, status: 413, detail: /more than \d+ attributes in the document \(maxAttributes\)/ },
  '4.5 M flat elements (18 MB)': { body: flatElements, status: 413, detail: /more than \d+ elements \(maxElements\)/ },
  'deep nesting (100,000 levels)': { body: deepNesting, status: 400, detail: /elements are nested more than \d+ deep/ },
  'billion laughs (entity declarations)': { body: billionLaughs, status: 400, detail: /<!DOCTYPE> is not allowed \(no DTD, no entity declarations\)/ },
};

interface Endpoint {
  url: string;
  root: string;
  token: () => string;
  /** Rows of the office in the table the endpoint stores into. */
  stored: () => Promise<number>;
}

const count = async (table: string): Promise<number> => {
  const [row] = await orm.em.fork().execute<{ n: string }[]>(`select count(*) as n from ${table} where office_id = ?`, [office.officeId]);
  return Number(row?.n ?? 0);
};

const endpoints: Record<string, Endpoint> = {
  'POST /hdn/messages': { url: '/hdn/messages', root: 'HDN', token: () => lenderToken, stored: () => count('hdn_messages') },
  'POST /billing/bank-imports': { url: '/billing/bank-imports', root: 'Document', token: () => office.tokens.adviser, stored: () => count('bank_imports') },
  // RISK speaks SIVI AFD: the root is the message kind (an <AFD> root, our old shape, is refused unread).
  'POST /risk/messages': { url: '/risk/messages', root: 'Contractdocument', token: () => riskToken, stored: () => count('risk_messages') },
};

function post(url: string, token: string, payload: string | Readable): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url, headers: { ...bearer(token), 'content-type': 'application/xml' }, payload });
}

describe.each(Object.entries(endpoints))('%s', (_name, endpoint) => {
  it.each(Object.entries(hostile))('answers %s with 4xx problem+json naming the limit, stores nothing, and /health/live is answered meanwhile', async (_case, h) => {
    const body = h.body(endpoint.root);
    // The RISK route takes 10 MiB: its two largest bodies are refused by size before parsing.
    const overRouteLimit = Buffer.byteLength(body) > (endpoint.url === '/risk/messages' ? defaultXmlBodyLimits.risk : defaultXmlBodyLimits.lender);
    const before = await endpoint.stored();
    const posting = post(endpoint.url, endpoint.token(), body);
    const health = app.inject({ method: 'GET', url: '/health/live' });
    const [answer, live] = await Promise.all([posting, health]);

    expect(live.statusCode).toBe(200);
    expect(live.json()).toEqual({ status: 'live' });
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = answer.json<{ status: number; detail: string }>();
    if (overRouteLimit) {
      expect(answer.statusCode).toBe(413);
      expect(problem.detail).toMatch(/too large/i);
    } else {
      expect(answer.statusCode).toBe(h.status);
      expect(problem.detail).toMatch(h.detail);
    }
    expect(await endpoint.stored()).toBe(before);
  }, 120_000);
});

describe('over a real connection, a body over a counting limit is refused before it is sent whole', () => {
  let baseUrl: string;
  beforeAll(async () => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });

  /**
   * Declares the whole body's length but sends only its first `sent` bytes, then waits: the
   * answer can only come from the limit scan, which stopped reading where the body broke a
   * limit. Resolves with the answer once the server has closed the connection.
   */
  function sendPart(url: string, token: string, body: Buffer, sent: number): Promise<{ status: number; headers: http.IncomingHttpHeaders; problem: Record<string, unknown> }> {
    return new Promise((resolve, reject) => {
      const req = http.request(new URL(url, baseUrl), {
        method: 'POST',
        headers: { ...bearer(token), 'content-type': 'application/xml', 'content-length': String(body.length) },
      });
      let answer: { status: number; headers: http.IncomingHttpHeaders; problem: Record<string, unknown> } | undefined;
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => {
          answer = { status: res.statusCode ?? 0, headers: res.headers, problem: JSON.parse(text) as Record<string, unknown> };
        });
      });
      // The server closes the connection after the answer (the request body is never finished).
      req.on('error', () => undefined);
      req.on('close', () => (answer ? resolve(answer) : reject(new Error('connection closed without an answer'))));
      req.write(body.subarray(0, sent));
    });
  }

  it.each([
    ['4.5 M flat elements', flatElements, 'maxElements'],
    ['1.15 M attributes', manyAttributes, 'maxAttributes'],
    ['deep nesting', deepNesting, undefined],
    ['billion laughs', billionLaughs, undefined],
  ] as const)('%s to POST /hdn/messages: the same answer as for the whole body, with Connection: close', async (_case, build, limit) => {
    const body = Buffer.from(build('HDN'));
    const before = await count('hdn_messages');
    const whole = await post('/hdn/messages', lenderToken, body.toString());
    // At most 1 MiB of a body of up to 19.6 MB is sent.
    const part = await sendPart('/hdn/messages', lenderToken, body, Math.min(body.length - 1, 1024 * 1024));
    expect(part.status).toBe(whole.statusCode);
    expect(part.headers.connection).toBe('close');
    expect(part.headers['content-type']).toMatch(/^application\/problem\+json/);
    const { instance: _a, ...partProblem } = part.problem;
    const { instance: _b, ...wholeProblem } = whole.json<Record<string, unknown>>();
    expect(partProblem).toEqual(wholeProblem);
    if (limit) expect(String(part.problem.detail)).toContain(`(${limit})`);
    expect(await count('hdn_messages')).toBe(before);
  }, 120_000);
});

describe('per-party XML body limits (XML_BODY_LIMIT_*)', () => {
  let limited: FastifyInstance;
  const limits = { lender: 4096, adviceSoftware: 8192, bankFile: 4096, risk: 4096 };

  beforeAll(async () => {
    limited = buildApp({ orm, temporal: temporalStub(), hdn: { node: OUR_NODE }, xml: { pool: new XmlParsePool({ threads: 1 }), bodyLimits: limits } });
    await limited.ready();
  });
  afterAll(async () => {
    await limited?.close();
  });

  /** A body of exactly `bytes` bytes that is not an HDN message (so what passes the limit is a 400). */
  const padded = (bytes: number): string => {
    const open = '<HDN><Pad>';
    const close = '</Pad></HDN>';
    return `${open}${'x'.repeat(bytes - open.length - close.length)}${close}`;
  };
  const send = (token: string, payload: string | Readable, url = '/hdn/messages') =>
    limited.inject({ method: 'POST', url, headers: { ...bearer(token), 'content-type': 'application/xml' }, payload });

  it.each([
    ['a lender', () => lenderToken, limits.lender, 'XML_BODY_LIMIT_LENDER', '/hdn/messages'],
    ['advice software', () => adviceToken, limits.adviceSoftware, 'XML_BODY_LIMIT_ADVICE_SOFTWARE', '/hdn/messages'],
    ['an adviser with a bank file', () => office.tokens.adviser, limits.bankFile, 'XML_BODY_LIMIT_BANK_FILE', '/billing/bank-imports'],
    ['RISK', () => riskToken, limits.risk, 'XML_BODY_LIMIT_RISK', '/risk/messages'],
  ] as const)('%s: a body of exactly the limit is read (and refused for its content), one byte more is 413 naming the setting', async (_who, token, limit, setting, url) => {
    const atLimit = await send(token(), padded(limit), url);
    expect(atLimit.statusCode).toBe(400);
    const over = await send(token(), padded(limit + 1), url);
    expect(over.statusCode).toBe(413);
    expect(over.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(over.json()).toMatchObject({ status: 413, limit: setting, limitBytes: limit, detail: expect.stringMatching(/nothing was stored/) });
  });

  it('a body without Content-Length (chunked) is refused as soon as it grows past the limit', async () => {
    const chunks = Array.from({ length: 8 }, (_, i) => (i === 0 ? '<HDN><Pad>' : 'x'.repeat(1000)));
    const answer = await send(lenderToken, Readable.from(chunks));
    expect(answer.statusCode).toBe(413);
    expect(answer.json()).toMatchObject({ limit: 'XML_BODY_LIMIT_LENDER' });
  });
});

describe('the XML pool’s own failures are 503 problem+json, and nothing is stored', () => {
  let busyApp: FastifyInstance;
  let pool: XmlParsePool;
  const jobs = new URL('../../integrations/xml/fixtures/pool-jobs.ts', import.meta.url).href;

  beforeAll(async () => {
    pool = new XmlParsePool({ threads: 1, maxQueue: 1, timeoutMs: 1000 });
    busyApp = buildApp({ orm, temporal: temporalStub(), hdn: { node: OUR_NODE }, xml: { pool, bodyLimits: { ...defaultXmlBodyLimits } } });
    await busyApp.ready();
  });
  afterAll(async () => {
    await busyApp?.close();
  });

  /** Yields to the event loop until `done()` holds (explicit synchronisation on the pool's state). */
  async function until(done: () => boolean): Promise<void> {
    while (!done()) await new Promise((resolve) => setImmediate(resolve));
  }

  it('a body that finds the only thread busy and the queue full is answered 503 xml-reader-busy', async () => {
    const before = await count('hdn_messages');
    // The one thread spins (a job that never ends, stopped by the time budget) ...
    const spinning = pool.run({ module: jobs, fn: 'spin', args: [] }).catch((e: unknown) => e);
    await until(() => pool.stats().busy === 1);
    // ... a first message waits in the queue ...
    const send = () => busyApp.inject({ method: 'POST', url: '/hdn/messages', headers: { ...bearer(lenderToken), 'content-type': 'application/xml' }, payload: '<HDN><Header/></HDN>' });
    const queued = send();
    await until(() => pool.stats().queued === 1);
    // ... so the second is refused at once.
    const refused = await send();
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json()).toMatchObject({ status: 503, xmlReader: 'busy', detail: expect.stringMatching(/busy.*nothing was stored/) });
    // The spinning job is stopped by its budget, its thread replaced; the queued message is then read (and refused for its content).
    expect(await spinning).toMatchObject({ failure: 'timeout' });
    expect((await queued).statusCode).toBe(400);
    expect(await count('hdn_messages')).toBe(before);
  }, 60_000);
});

describe('a credential whose XML bodies keep being refused is refused unread (XML_REFUSED_BODIES_*)', () => {
  const MAX = 3;
  let clock = Date.parse('2026-12-07T09:00:00Z');
  /** The held 429s: each waits until the test releases it (the delay is not timed here). */
  const holds: { ms: number; release: () => void }[] = [];
  const wait = (ms: number) => new Promise<void>((release) => holds.push({ ms, release }));
  const releaseAll = () => {
    for (const h of holds.splice(0)) h.release();
  };
  let strict: FastifyInstance;
  beforeAll(async () => {
    strict = buildApp({
      orm,
      temporal: temporalStub(),
      hdn: { node: OUR_NODE },
      xml: { pool: new XmlParsePool({ threads: 1 }), bodyLimits: { ...defaultXmlBodyLimits }, refusals: new RefusedXmlBodies({ max: MAX, windowSeconds: 60, delayMs: 1000 }, () => clock, wait) },
    });
    await strict.ready();
  });
  afterAll(async () => {
    await strict?.close();
  });
  const send = (token: string, payload: string) =>
    strict.inject({ method: 'POST', url: '/hdn/messages', headers: { ...bearer(token), 'content-type': 'application/xml' }, payload });

  it(`after ${MAX} refused bodies in the window, the next XML request is 429 problem+json with Retry-After, unread; other credentials and the next window are not affected`, async () => {
    const lender = await partyToken('lender', 'LNXML2');
    const other = await partyToken('lender', 'LNXML3');
    for (let i = 0; i < MAX; i++) expect((await send(lender, deepNesting('HDN'))).statusCode).toBe(400);
    const before = await count('hdn_messages');

    clock += 20_000;
    // The 429 is held (its body unread) until the delay is over.
    let answered = false;
    const pending = send(lender, '<HDN><Header/></HDN>').finally(() => {
      answered = true;
    });
    while (holds.length === 0) await new Promise((resolve) => setImmediate(resolve));
    expect(holds.map((h) => h.ms)).toEqual([1000]);
    expect(answered).toBe(false);
    releaseAll();
    const refused = await pending;
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.headers['retry-after']).toBe('40');
    expect(refused.headers.connection).toBe('close');
    expect(refused.json()).toMatchObject({ status: 429, limit: MAX, windowSeconds: 60, retryAfterSeconds: 40, detail: expect.stringMatching(/refused unread/) });
    expect(await count('hdn_messages')).toBe(before);

    // Another lender's credential has its own count: its body is read (and refused for its content, 400, not 429).
    expect((await send(other, '<HDN><Header/></HDN>')).statusCode).toBe(400);
    // Health and the JSON routes are not affected.
    expect((await strict.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);

    clock += 40_000;
    expect((await send(lender, '<HDN><Header/></HDN>')).statusCode).toBe(400);
  });

  it(`holds at most ${MAX_HELD} answers of one credential at once; the ones beyond are answered at once`, async () => {
    const lender = await partyToken('lender', 'LNXML5');
    for (let i = 0; i < MAX; i++) expect((await send(lender, deepNesting('HDN'))).statusCode).toBe(400);
    const heldAnswers = Array.from({ length: MAX_HELD }, () => send(lender, '<HDN><Header/></HDN>'));
    while (holds.length < MAX_HELD) await new Promise((resolve) => setImmediate(resolve));
    const extra = await send(lender, '<HDN><Header/></HDN>');
    expect(extra.statusCode).toBe(429);
    expect(holds).toHaveLength(MAX_HELD);
    releaseAll();
    expect((await Promise.all(heldAnswers)).map((a) => a.statusCode)).toEqual(Array(MAX_HELD).fill(429));
  });

  it('a body refused for its content (not a limit) counts as well', async () => {
    const lender = await partyToken('lender', 'LNXML4');
    const statuses: number[] = [];
    for (let i = 0; i < MAX + 2; i++) {
      const answer = send(lender, '<HDN><Header/></HDN>');
      if (i >= MAX) {
        while (holds.length === 0) await new Promise((resolve) => setImmediate(resolve));
        releaseAll();
      }
      statuses.push((await answer).statusCode);
    }
    expect(statuses).toEqual([...Array(MAX).fill(400), 429, 429]);
  });
});
