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
 */
import { XML_REFUSAL_DEFAULTS } from '../../config/settings.js';
import { HttpProblem } from '../problem.js';

export interface RefusalLimits {
  /** Refused bodies a credential may have per window; the next XML request in it is answered 429. */
  max: number;
  windowSeconds: number;
}

/** The refused bodies of each credential in its current window (fixed windows, from the first refusal). */
export class RefusedXmlBodies {
  private readonly windows = new Map<string, { startedMs: number; count: number }>();

  constructor(
    readonly limits: RefusalLimits = XML_REFUSAL_DEFAULTS,
    private readonly now: () => number = Date.now,
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

  /** The problem to answer when the credential has used up its refusals, else null. */
  refusal(credentialId: string): HttpProblem | null {
    const w = this.current(credentialId);
    if (!w || w.count < this.limits.max) return null;
    const retryAfterSeconds = Math.max(1, Math.ceil((w.startedMs + this.limits.windowSeconds * 1000 - this.now()) / 1000));
    return new HttpProblem(
      429,
      'too-many-refused-bodies',
      `${w.count} XML bodies of this credential were refused in the last ${this.limits.windowSeconds} s (at most ${this.limits.max}); ` +
        `XML requests are refused unread until the window is over: retry in ${retryAfterSeconds} s`,
      { limit: this.limits.max, windowSeconds: this.limits.windowSeconds, retryAfterSeconds },
      { 'retry-after': String(retryAfterSeconds) },
    );
  }
}
