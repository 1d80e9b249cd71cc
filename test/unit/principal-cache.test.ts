/** The auth plugin's short memory of bearer credentials (services/access/principal-cache.ts). */
import { describe, expect, it } from 'vitest';
import { accessChanged, PrincipalCache } from '../../services/access/principal-cache.js';

function clock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('PrincipalCache', () => {
  it('remembers a value for the time to live, not longer', () => {
    const c = clock();
    const cache = new PrincipalCache<string>(5_000, 100, c.now);
    cache.set('k', 'anna', cache.generation);
    c.advance(4_999);
    expect(cache.get('k')).toBe('anna');
    c.advance(1);
    expect(cache.get('k')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('never past the end given (a session that ends sooner)', () => {
    const c = clock();
    const cache = new PrincipalCache<string>(5_000, 100, c.now);
    cache.set('k', 'anna', cache.generation, c.now() + 1_000);
    c.advance(1_000);
    expect(cache.get('k')).toBeUndefined();
    cache.set('ended', 'bram', cache.generation, c.now() - 1);
    expect(cache.get('ended')).toBeUndefined();
  });

  it('keeps nothing with a time to live of 0', () => {
    const cache = new PrincipalCache<string>(0);
    cache.set('k', 'anna', cache.generation);
    expect(cache.get('k')).toBeUndefined();
  });

  it('forgets everything on accessChanged(), in every open cache of the process, and only those', () => {
    const a = new PrincipalCache<string>().open();
    const b = new PrincipalCache<string>().open();
    const closed = new PrincipalCache<string>();
    a.set('k', 'anna', a.generation);
    b.set('k', 'bram', b.generation);
    closed.set('k', 'carla', closed.generation);
    accessChanged();
    expect(a.get('k')).toBeUndefined();
    expect(b.get('k')).toBeUndefined();
    expect(closed.get('k')).toBe('carla');
    a.close();
    b.close();
  });

  it('does not store what a look-up read before a revocation that came in while it ran', () => {
    const cache = new PrincipalCache<string>().open();
    const before = cache.generation; // the look-up starts
    accessChanged(); // the credential is revoked meanwhile
    cache.set('k', 'still valid when read', before); // the look-up's answer arrives
    expect(cache.get('k')).toBeUndefined();
    cache.set('k', 'read after', cache.generation);
    expect(cache.get('k')).toBe('read after');
    cache.close();
  });

  it('holds at most `max` entries, dropping the oldest', () => {
    const cache = new PrincipalCache<number>(5_000, 3);
    for (let i = 0; i < 5; i++) cache.set(`k${i}`, i, cache.generation);
    expect(cache.size).toBe(3);
    expect(cache.get('k0')).toBeUndefined();
    expect(cache.get('k1')).toBeUndefined();
    expect(cache.get('k4')).toBe(4);
  });

  it('keys by a hash of the token, not the token', () => {
    const key = PrincipalCache.keyOf('bearer', 'dfl_adviser_secret');
    expect(key).not.toContain('secret');
    expect(key).toBe(PrincipalCache.keyOf('bearer', 'dfl_adviser_secret'));
    expect(key).not.toBe(PrincipalCache.keyOf('bearer', 'dfl_adviser_other'));
  });
});
