import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { XmlParsePool } from '../xml/index.js';
import { AfdError, AfdErrorType, codeAndSequenceRef, readAfd, readAfdOffThread } from './index.js';

const fixture = readFileSync(new URL('./fixtures/contractdocument.xml', import.meta.url), 'utf8');
const pool = new XmlParsePool({ threads: 1 });
afterAll(() => pool.close());

describe('readAfdOffThread', () => {
  it('reads in a pool thread exactly as in line', async () => {
    expect(await readAfdOffThread(pool, fixture)).toEqual(readAfd(fixture));
    expect(await readAfdOffThread(pool, new TextEncoder().encode(fixture), { kinds: ['Contractdocument'] })).toEqual(readAfd(fixture));
  });

  it('gives refusals back as AfdError with type and path', async () => {
    const error = await readAfdOffThread(pool, '<Contractdocument><PP><VP_ANAAM>x</VP_ANAAM></PP></Contractdocument>').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AfdError);
    expect(error).toMatchObject({ type: AfdErrorType.PrefixMismatch, path: 'Contractdocument/PP[1]/VP_ANAAM' });
  });

  it('checks references with a resolver, which stays on this side', async () => {
    const dangling = '<Contractdocument><PP><PP_VOLGNUM>1</PP_VOLGNUM><VP><VP_ENTREF>PP2</VP_ENTREF></VP></PP></Contractdocument>';
    expect(await readAfdOffThread(pool, dangling)).toBeDefined();
    const error = await readAfdOffThread(pool, dangling, { entityRefs: codeAndSequenceRef }).catch((e: unknown) => e);
    expect(error).toMatchObject({ type: AfdErrorType.DanglingReference });
    expect(await readAfdOffThread(pool, fixture, { entityRefs: codeAndSequenceRef })).toEqual(readAfd(fixture));
  });
});
