/**
 * How the simulated lender delivers its messages to the platform: like a real one, it keeps
 * retrying with backoff while the platform is unreachable or answers 5xx/429 (until the
 * simulator stops), takes any 2xx as delivered and a 4xx as a final failure it only logs.
 */
import { createHdnGateway, HdnGatewayError, type HdnGateway } from '../../integrations/hdn/gateway.js';
import { CancelledError, type Scheduler } from './scheduler.js';

export interface DeliveryTarget {
  /** The platform's inbound HDN endpoint. */
  url: string;
  /** Bearer token the lender presents there. */
  token: string;
}

export interface RetryPolicy {
  /** First wait after a failed attempt; doubles per attempt up to `maxMs`. */
  initialMs: number;
  maxMs: number;
}

export interface DeliveryOutcome {
  delivered: boolean;
  attempts: number;
  /** Last HTTP status, when there was an answer. */
  status?: number;
  /** Why the last attempt failed. */
  error?: string;
}

export interface Deliverer {
  /**
   * Delivers one message; resolves when delivered or finally refused, rejects with
   * CancelledError when stopped (or `signal` aborts) first. `onAttempt` reports each failure.
   */
  deliver(xml: string, opts?: { signal?: AbortSignal; onAttempt?: (outcome: DeliveryOutcome) => void }): Promise<DeliveryOutcome>;
}

export function createDeliverer(opts: {
  target: DeliveryTarget;
  scheduler: Scheduler;
  retry: RetryPolicy;
  requestTimeoutMs: number;
  /** Another transport (the HDN API platform, platform-transport.ts); absent = XML to `target`. */
  transport?: HdnGateway;
}): Deliverer {
  const gateway = opts.transport ?? createHdnGateway({ url: opts.target.url, token: opts.target.token, timeoutMs: opts.requestTimeoutMs });
  const { scheduler, retry } = opts;

  return {
    async deliver(xml, { signal, onAttempt } = {}) {
      const cancel = signal ? AbortSignal.any([scheduler.signal, signal]) : scheduler.signal;
      for (let attempt = 1; ; attempt++) {
        if (cancel.aborted) throw new CancelledError('delivery cancelled');
        try {
          const res = await gateway.send(xml, { signal: cancel });
          return { delivered: true, attempts: attempt, status: res.status };
        } catch (err) {
          if (cancel.aborted) throw new CancelledError('delivery cancelled');
          if (!(err instanceof HdnGatewayError)) throw err;
          const outcome: DeliveryOutcome = { delivered: false, attempts: attempt, error: err.message, ...(err.status !== undefined ? { status: err.status } : {}) };
          if (!err.retryable) return outcome;
          onAttempt?.(outcome);
          await scheduler.sleep(Math.min(retry.maxMs, retry.initialMs * 2 ** Math.min(attempt - 1, 20)), signal);
        }
      }
    },
  };
}
