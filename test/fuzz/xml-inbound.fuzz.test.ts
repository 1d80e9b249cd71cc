/**
 * The XML inbound routes under corrupted public-shape messages (issue 17: the fuzz tests run on
 * the new codecs, through HTTP too). The OpenAPI fuzz (api.fuzz.test.ts) posts its XML bodies as
 * adviser/admin/designer, which these routes refuse before reading (403), so it never reaches the
 * readers; this one posts as the parties themselves: a lender (whose HDN node is the synthetic
 * fixtures' sender) and advice software to POST /hdn/messages, RISK to POST /risk/messages.
 *
 * Bodies: corrupted copies of the SYNTHETIC public-shape fixtures (SX/OX/DA, Contractdocument), of
 * the old <HDN>/<AFD> shapes, and the seeds themselves. Every answer must be a status the route
 * documents (read from the served OpenAPI document), never a 5xx, and a problem+json body when it
 * is not a 2xx. Seeded; requests are sent one at a time, so a run is repeatable. The refused-bodies
 * guard (XML_REFUSED_BODIES_*) and the party rate limit are set out of reach here: they are tested in test/api.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { defaultXmlBodyLimits } from '../../api/plugins/xml-body.js';
import { RefusedXmlBodies } from '../../api/plugins/xml-refusals.js';
import type { MikroORM } from '../../db/orm.js';
import { XmlParsePool } from '../../integrations/xml/index.js';
import { issueCredential } from '../../services/access/store.js';
import { bearer, createTestOffice, openOrm, temporalStub, type TestOffice } from '../api/support.js';
import { corruptedFrom } from './mutate.js';

/** The receiver and sender nodes of the synthetic public-shape HDN fixtures. */
const OUR_NODE = '400123';
const LENDER_NODE = '300001';

const repo = join(import.meta.dirname, '..', '..');
const file = (path: string) => readFileSync(join(repo, path), 'utf8');
const legacyDir = 'integrations/hdn/fixtures';
const hdnSeeds = [
  ...['sx-24.xml', 'ox-24.xml', 'da-24.xml'].map((f) => file(`integrations/hdn/mapping/test-fixtures/${f}`)),
  ...readdirSync(join(repo, legacyDir))
    .filter((f) => f.endsWith('.xml'))
    .sort()
    .map((f) => file(`${legacyDir}/${f}`)),
];
const afdSeeds = [
  file('test/fuzz/fixtures/risk-contractdocument.synthetic.xml'),
  file('integrations/afd/fixtures/contractdocument.xml'),
  file('integrations/risk/fixtures/legacy/final.xml'),
  file('integrations/risk/fixtures/legacy/mutation.xml'),
];

let orm: MikroORM;
let app: FastifyInstance;
let office: TestOffice;
const tokens: Record<'lender' | 'advice_software' | 'risk', string> = { lender: '', advice_software: '', risk: '' };
let documented: Record<string, Set<number>>;

async function partyToken(role: 'advice_software' | 'lender' | 'risk', node: string | null): Promise<string> {
  const issued = await issueCredential(orm.em.fork(), { officeId: office.officeId, name: `fuzz ${role}`, role });
  await orm.em.fork().execute('update api_credentials set hdn_node = ? where id = ?', [node, issued.id]);
  return issued.token;
}

beforeAll(async () => {
  orm = await openOrm();
  office = await createTestOffice(orm, 'XML-fuzzkantoor');
  tokens.lender = await partyToken('lender', LENDER_NODE);
  tokens.advice_software = await partyToken('advice_software', 'ASFZ01');
  tokens.risk = await partyToken('risk', null);
  app = buildApp({
    orm,
    temporal: temporalStub(),
    hdn: { node: OUR_NODE },
    // Every body reaches the reader: the party rate limit is out of reach too (tested in test/api).
    rateLimit: { partyMax: 1_000_000, windowSeconds: 60 },
    xml: {
      pool: new XmlParsePool({ threads: 1 }),
      bodyLimits: { ...defaultXmlBodyLimits },
      refusals: new RefusedXmlBodies({ max: 1_000_000, windowSeconds: 60, delayMs: 0 }),
    },
  });
  await app.ready();
  const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json<{ paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }>();
  documented = {};
  for (const path of ['/hdn/messages', '/risk/messages']) {
    const responses = doc.paths[path]?.post?.responses;
    if (responses === undefined) throw new Error(`POST ${path} is not in the served OpenAPI document`);
    documented[path] = new Set(Object.keys(responses).map(Number));
  }
}, 120_000);

afterAll(async () => {
  await app?.close();
  await orm?.close(true);
});

type Party = keyof typeof tokens;

async function post(path: string, party: Party, body: string, seen: Map<number, number>): Promise<void> {
  const res = await app.inject({ method: 'POST', url: path, headers: { ...bearer(tokens[party]), 'content-type': 'application/xml' }, payload: body });
  seen.set(res.statusCode, (seen.get(res.statusCode) ?? 0) + 1);
  const what = `${party} POST ${path} -> ${res.statusCode} ${res.body.slice(0, 300)}\nbody: ${body.slice(0, 300)}`;
  expect(res.statusCode, what).toBeLessThan(500);
  expect([...(documented[path] ?? [])], what).toContain(res.statusCode);
  if (res.statusCode >= 400) expect(res.headers['content-type'], what).toMatch(/^application\/problem\+json/);
}

const report = (path: string, seen: Map<number, number>) =>
  process.stdout.write(`[xml-inbound fuzz] ${path}: ${[...seen.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s} x${n}`).join(', ')}\n`);

describe('XML inbound routes under corrupted public-shape messages', () => {
  it('POST /hdn/messages answers only documented statuses, never 5xx, problem+json when refused', { timeout: 300_000 }, async () => {
    const seen = new Map<number, number>();
    for (const seed of hdnSeeds) await post('/hdn/messages', 'lender', seed, seen);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<Party>('lender', 'lender', 'lender', 'advice_software'), corruptedFrom(hdnSeeds), async (party, body) => {
        await post('/hdn/messages', party, body, seen);
      }),
      { seed: 17_0641, numRuns: 400 },
    );
    report('/hdn/messages', seen);
    // The corruption reaches the readers: refusals for the content, not only for the party.
    expect(seen.get(400) ?? 0).toBeGreaterThan(50);
  });

  it('POST /risk/messages answers only documented statuses, never 5xx, problem+json when refused', { timeout: 300_000 }, async () => {
    const seen = new Map<number, number>();
    for (const seed of afdSeeds) await post('/risk/messages', 'risk', seed, seen);
    await fc.assert(
      fc.asyncProperty(corruptedFrom(afdSeeds), async (body) => {
        await post('/risk/messages', 'risk', body, seen);
      }),
      { seed: 17_0642, numRuns: 300 },
    );
    report('/risk/messages', seen);
    expect(seen.get(400) ?? 0).toBeGreaterThan(50);
  });
});
