import { afterEach, describe, expect, it } from 'vitest';
import { FixtureError } from './fixtures/pool-jobs.js';
import { XmlParsePool, XmlPoolError, type SerializedError } from './pool.js';
import { parseUntrustedXml } from './parse.js';
import { XmlError } from './errors.js';

/** Jobs that spin, crash, name their thread (fixtures/pool-jobs.ts), run in the pool's real threads. */
const jobs = new URL('./fixtures/pool-jobs.ts', import.meta.url).href;
const parseModule = new URL('./parse.ts', import.meta.url).href;

const pools: XmlParsePool[] = [];
function newPool(options: ConstructorParameters<typeof XmlParsePool>[0]): XmlParsePool {
  const pool = new XmlParsePool(options);
  pools.push(pool);
  return pool;
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

const whichThread = (pool: XmlParsePool): Promise<number> => pool.run<number>({ module: jobs, fn: 'whichThread', args: [] });

async function poolError(promise: Promise<unknown>): Promise<XmlPoolError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(XmlPoolError);
  return error as XmlPoolError;
}

describe('XmlParsePool', () => {
  it('runs a job in a worker thread and returns its value', async () => {
    const pool = newPool({ threads: 1 });
    expect(await pool.run({ module: jobs, fn: 'echo', args: [{ a: [1, 'b'] }] })).toEqual({ a: [1, 'b'] });
    expect(await whichThread(pool)).toBeGreaterThan(0);
  });

  it('parses XML in a thread exactly as in line', async () => {
    const pool = newPool({ threads: 1 });
    const xml = '<r a="1"><b>x &amp; y</b><b>z</b></r>';
    expect(await pool.run({ module: parseModule, fn: 'parseUntrustedXml', args: [xml] })).toEqual(parseUntrustedXml(xml));
  });

  it('gives a job’s error back in its own type, through the reviver', async () => {
    const pool = newPool({ threads: 1 });
    const revive = (e: SerializedError) => (e.name === 'FixtureError' ? new FixtureError(e.message, String(e.props.code)) : undefined);
    const error = await pool.run({ module: jobs, fn: 'fail', args: ['E42'] }, revive).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FixtureError);
    expect(error).toMatchObject({ message: 'failed with E42', code: 'E42' });
    // Without a reviver: a plain Error with the name and message.
    const plain = await pool.run({ module: jobs, fn: 'fail', args: ['E43'] }).catch((e: unknown) => e);
    expect(plain).toBeInstanceOf(Error);
    expect(plain).toMatchObject({ name: 'FixtureError', message: 'failed with E43' });
  });

  it('a job over its time budget is stopped, its thread terminated and replaced; the pool goes on', async () => {
    const pool = newPool({ threads: 1, timeoutMs: 200 });
    const before = await whichThread(pool);
    const error = await poolError(pool.run({ module: jobs, fn: 'spin', args: [] }));
    expect(error.failure).toBe('timeout');
    expect(error.message).toMatch(/longer than its budget of 200 ms/);
    expect(pool.replaced).toBe(1);
    const after = await whichThread(pool);
    expect(after).not.toBe(before);
    expect(pool.stats()).toMatchObject({ threads: 1, busy: 0, queued: 0 });
  });

  it('a job may bring a longer budget than the pool’s (a large bank file), never a shorter one', async () => {
    const pool = newPool({ threads: 1, timeoutMs: 200 });
    const longer = await poolError(pool.run({ module: jobs, fn: 'spin', args: [], timeoutMs: 400 }));
    expect(longer.message).toMatch(/longer than its budget of 400 ms/);
    const shorter = await poolError(pool.run({ module: jobs, fn: 'spin', args: [], timeoutMs: 50 }));
    expect(shorter.message).toMatch(/longer than its budget of 200 ms/);
  });

  it('a job waiting for the spinning thread is run by its replacement', async () => {
    const pool = newPool({ threads: 1, timeoutMs: 200 });
    await whichThread(pool);
    const spinning = poolError(pool.run({ module: jobs, fn: 'spin', args: [] }));
    const waiting = pool.run({ module: jobs, fn: 'echo', args: ['after'] });
    expect((await spinning).failure).toBe('timeout');
    expect(await waiting).toBe('after');
  });

  it('a crashing thread fails only its own job; the other thread’s job and later jobs succeed', async () => {
    const pool = newPool({ threads: 2 });
    const crashing = poolError(pool.run({ module: jobs, fn: 'crash', args: [] }));
    const other = pool.run({ module: jobs, fn: 'echo', args: ['fine'] });
    const error = await crashing;
    expect(error.failure).toBe('crashed');
    expect(await other).toBe('fine');
    expect(pool.replaced).toBe(1);
    expect(await pool.run({ module: jobs, fn: 'echo', args: ['later'] })).toBe('later');
  });

  it('refuses more waiting jobs than its queue holds (busy), and everything after close', async () => {
    const pool = newPool({ threads: 1, maxQueue: 1, timeoutMs: 200 });
    await whichThread(pool);
    const spinning = poolError(pool.run({ module: jobs, fn: 'spin', args: [] }));
    const queued = pool.run({ module: jobs, fn: 'echo', args: ['queued'] });
    expect((await poolError(pool.run({ module: jobs, fn: 'echo', args: ['too many'] }))).failure).toBe('busy');
    expect((await spinning).failure).toBe('timeout');
    expect(await queued).toBe('queued');
    await pool.close();
    expect((await poolError(pool.run({ module: jobs, fn: 'echo', args: [1] }))).failure).toBe('closed');
  });

  it('bounds each thread’s heap: a parse that needs more ends its thread (crashed), not the process', async () => {
    const pool = newPool({ threads: 1, maxHeapMb: 32, timeoutMs: 60_000 });
    // 20 MB of nested-in-one-element small items: fast-xml-parser's tree needs far more than 32 MB.
    const xml = `<r>${'<a b="1">x</a>'.repeat(1_400_000)}</r>`;
    const error = await poolError(
      pool.run({ module: parseModule, fn: 'parseUntrustedXml', args: [xml, { maxElements: 2_000_000, maxAttributes: 2_000_000 }] }),
    );
    expect(error.failure).toBe('crashed');
    expect(await pool.run({ module: jobs, fn: 'echo', args: ['alive'] })).toBe('alive');
  });

  it('refuses nonsense options', () => {
    expect(() => new XmlParsePool({ threads: 0 })).toThrow(RangeError);
    expect(() => new XmlParsePool({ timeoutMs: 1.5 })).toThrow(RangeError);
  });

  it('hands XmlErrors of the document back as errors, not pool failures', async () => {
    const pool = newPool({ threads: 1 });
    const error = await pool.run({ module: parseModule, fn: 'parseUntrustedXml', args: ['<!DOCTYPE r><r/>'] }).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(XmlPoolError);
    expect(error).toMatchObject({ name: 'XmlError', message: expect.stringMatching(/<!DOCTYPE> is not allowed/) });
    expect(error).not.toBeInstanceOf(XmlError); // no reviver given: a plain Error
  });
});
