/**
 * Refused XML bodies per credential: a party whose XML bodies keep being refused (over a body
 * or counting limit: 413; malformed, a DTD, too deep: 400) is answered 429 on the XML routes
 * until its window is over, before a byte of the next body is read.
 *
 * Why: refusing a hostile body is cheap (the limit scan stops reading where it goes over) but
 * not free: every refused body still costs the API's event loop a few milliseconds and its
 * socket buffers bring V8's next full GC nearer. A client that posts them in a loop kept the
 * event loop 85% busy; a lender's software that sends a broken message now and then never comes
 * near the limit. The count is per credential, so one party cannot lock out another.
 *
 * The 429 itself is held for `delayMs` (its connection unread meanwhile: Node stops reading a
 * socket whose request body nobody consumes), up to MAX_HELD answers per credential at once.
 * Answering at once let a client that retries in a loop get a few hundred 429s a second, and
 * each still cost the event loop about a millisecond: the loop stayed 80% busy. Held, a client
 * with n connections gets n answers per `delayMs`, and a held answer costs nothing meanwhile.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { XML_REFUSAL_DEFAULTS } from '../../config/settings.js';
import { HttpProblem } from '../problem.js';

export interface RefusalLimits {
  /** Refused bodies a credential may have per window; the next XML request in it is answered 429. */
  max: number;
  windowSeconds: number;
  /** How long the 429 is held (0: answered at once). */
  delayMs: number;
}

/** Held 429s per credential at once; beyond it they are answered at once (a held answer is an open socket). */
export const MAX_HELD = 8;

/** The refused bodies of each credential in its current window (fixed windows, from the first refusal). */
export class RefusedXmlBodies {
  private readonly windows = new Map<string, { startedMs: number; count: number }>();
  private readonly held = new Map<string, number>();

  constructor(
    readonly limits: RefusalLimits = XML_REFUSAL_DEFAULTS,
    private readonly now: () => number = Date.now,
    private readonly wait: (ms: number) => Promise<unknown> = sleep,
  ) {}

  private current(credentialId: string): { startedMs: number; count: number } | undefined {
    const w = this.windows.get(credentialId);
    if (w && this.now() - w.startedMs >= this.limits.windowSeconds * 1000) {
      this.windows.delete(credentialId);
      return undefined;
    }
    return w;
  }

  /** Counts one refused body of the credential. */
  record(credentialId: string): void {
    const w = this.current(credentialId);
    if (w) w.count += 1;
    else this.windows.set(credentialId, { startedMs: this.now(), count: 1 });
  }

  /**
   * The problem to answer when the credential has used up its refusals, else null; resolved
   * after `delayMs` (unless MAX_HELD of its answers are held already).
   */
  async refusal(credentialId: string): Promise<HttpProblem | null> {
    const window = this.current(credentialId);
    if (!window || window.count < this.limits.max) return null;
    const held = this.held.get(credentialId) ?? 0;
    if (this.limits.delayMs > 0 && held < MAX_HELD) {
      this.held.set(credentialId, held + 1);
      try {
        await this.wait(this.limits.delayMs);
      } finally {
        const left = (this.held.get(credentialId) ?? 1) - 1;
        if (left > 0) this.held.set(credentialId, left);
        else this.held.delete(credentialId);
      }
    }
    // Should the window have ended while the answer was held, the request is refused all the
    // same (its body was not read), with a Retry-After of 1 s.
    const retryAfterSeconds = Math.max(1, Math.ceil((window.startedMs + this.limits.windowSeconds * 1000 - this.now()) / 1000));
    return new HttpProblem(
      429,
      'too-many-refused-bodies',
      `${window.count} XML bodies of this credential were refused in the last ${this.limits.windowSeconds} s (at most ${this.limits.max}); ` +
        `XML requests are refused unread until the window is over: retry in ${retryAfterSeconds} s`,
      { limit: this.limits.max, windowSeconds: this.limits.windowSeconds, retryAfterSeconds },
      { 'retry-after': String(retryAfterSeconds) },
    );
  }
}
