/**
 * Short memory of who a bearer token is (*kort onthouden wie een sleutel is*); session cookies and
 * portal tokens are not remembered (api/plugins/auth.ts asks for them every time):
 * the auth plugin (api/plugins/auth.ts) asks PostgreSQL on every request otherwise, one statement
 * per request for the adviser's reads.
 *
 * How long a revoked credential, a disabled user or an ended session can still act:
 * - in this process, not at all: every write of services/access/store.ts that can end or narrow
 *   access (credential revoked, user roles / status / password changed, sessions deleted) calls
 *   `accessChanged()`, which empties every cache of the process at once, before and again after
 *   the write's transaction (see `changeUser`);
 * - for a write made by another process (another API replica, `npm run seed`, SQL by hand): at
 *   its commit, when a trigger's NOTIFY reaches this process's LISTEN (access-listener.ts calls
 *   `accessChanged()`); while that connection is down, at most the time to live,
 *   PRINCIPAL_CACHE_TTL_MS (5 s), after which the next request looks the token up again.
 *   Something with an end of its own is never remembered past it (`set`'s `endsAt`).
 *
 * Only successful look-ups are kept (an unknown token is asked every time), keyed by the sha256
 * of the token (the token itself is not kept), at most PRINCIPAL_CACHE_MAX entries (the oldest
 * is dropped first).
 */
import { createHash } from 'node:crypto';

/** How long a looked-up principal is used without asking PostgreSQL again (ms). */
export const PRINCIPAL_CACHE_TTL_MS = 5_000;
export const PRINCIPAL_CACHE_MAX = 10_000;

const caches = new Set<PrincipalCache<unknown>>();

/** Every cache of this process forgets everything: call after any write that can end or narrow access. */
export function accessChanged(): void {
  for (const c of caches) c.clear();
}

export class PrincipalCache<T> {
  private readonly entries = new Map<string, { value: T; until: number }>();
  /**
   * Counts the clears: a look-up that started before a clear must not store what it read (it
   * may have read the row just before the revocation), so `set` takes the generation read
   * before the look-up and drops the value when a clear came in between.
   */
  generation = 0;

  constructor(
    readonly ttlMs: number = PRINCIPAL_CACHE_TTL_MS,
    private readonly max: number = PRINCIPAL_CACHE_MAX,
    private readonly now: () => number = Date.now,
  ) {}

  /** Listens to `accessChanged()` until `close()`. */
  open(): this {
    caches.add(this as PrincipalCache<unknown>);
    return this;
  }

  close(): void {
    caches.delete(this as PrincipalCache<unknown>);
    this.entries.clear();
  }

  static keyOf(kind: string, token: string): string {
    return `${kind}:${createHash('sha256').update(token).digest('base64url')}`;
  }

  get(key: string): T | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.until <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  /**
   * Remembers `value` for the time to live, or until `endsAt` (ms since the epoch) when that is
   * sooner; not when the cache was cleared since `generation` was read (before the look-up).
   */
  set(key: string, value: T, generation: number, endsAt?: number): void {
    if (this.ttlMs <= 0 || generation !== this.generation) return;
    const until = Math.min(this.now() + this.ttlMs, endsAt ?? Number.POSITIVE_INFINITY);
    if (until <= this.now()) return;
    this.entries.delete(key);
    if (this.entries.size >= this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { value, until });
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
