/**
 * The short OpenAPI-driven fuzz of every operation (issue 16 point 3), in `npm test`: a few
 * thousand seeded requests (test/fuzz/api-fuzz.ts) as adviser, admin and designer against the API
 * on a real socket, with the real PostgreSQL (a database of its own) and Temporal (a worker of its
 * own). It fails on any 5xx, any status not documented for the operation, any media type not
 * documented for the status and any JSON body that breaks its documented schema. The latency of
 * GET /health/live during the run is printed, not asserted (the long run, `npm run fuzz:api`,
 * fails on a probe slower than 1 s).
 *
 *   FUZZ_SEED           replay a run (default: a fixed seed, so `npm test` sends the same requests)
 *   FUZZ_API_REQUESTS   requests after the warm-up (default 2000)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFuzzReport, runApiFuzz } from './api-fuzz.js';
import { startFuzzPlatform, type FuzzPlatform } from './api-fuzz-platform.js';
import { databaseUrl } from '../api/support.js';

const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 16_2026;
const requests = process.env.FUZZ_API_REQUESTS ? Number(process.env.FUZZ_API_REQUESTS) : 2000;

let platform: FuzzPlatform;

beforeAll(async () => {
  platform = await startFuzzPlatform({
    databaseUrl: databaseUrl(),
    temporalAddress: process.env.TEMPORAL_ADDRESS ?? '',
    temporalNamespace: process.env.TEMPORAL_NAMESPACE,
    smtpUrl: process.env.SMTP_URL ?? '',
  });
});

afterAll(async () => {
  await platform?.stop();
});

describe('the OpenAPI-driven fuzz of every operation (short)', () => {
  it('answers no 5xx and nothing its documented status, media type or schema does not allow', { timeout: 900_000 }, async () => {
    const report = await runApiFuzz({ baseUrl: platform.baseUrl, tokens: platform.tokens, seed, requests, concurrency: 1, log: (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`) });
    process.stdout.write(`${formatFuzzReport(report)}\n`);
    expect(report.requests).toBeGreaterThanOrEqual(requests);
    // The fuzz reaches most operations with a valid request, not only their refusals.
    expect(report.reached).toBeGreaterThan(report.operations / 4);
    expect(report.health.failed).toBe(0);
    expect(report.failures.map((f) => `${f.operation} → ${f.status} ×${f.count}: ${f.reason} (${f.example})`)).toEqual([]);
  });
});
