/**
 * Every wait of the lender simulator goes through one scheduler (delays between messages,
 * delivery backoff, "wait until the documents are in", test waiters), so `stop()` can cancel
 * all of them at once and then wait until every background task has actually ended: no timer
 * or retry outlives the simulator.
 */

/** Rejection reason of waits cut short by `stop()` or by a task's own cancellation. */
export class CancelledError extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

export interface Scheduler {
  /** Aborted by `stop()`; pass it to I/O (fetch) so in-flight requests end too. */
  readonly signal: AbortSignal;
  readonly stopped: boolean;
  /** Resolves after `ms`; rejects with CancelledError when stopped or when `signal` aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Resolves with `check()`'s value once it is neither undefined nor false, re-checked on every `wake()`; rejects on stop, on `signal`,
   * or (with `timeoutMs`) with an Error after that long.
   */
  waitUntil<T>(check: () => T | undefined | false, opts?: { signal?: AbortSignal; timeoutMs?: number; describe?: () => string }): Promise<T>;
  /** Something changed: re-run the checks of pending `waitUntil`s. */
  wake(): void;
  /** Runs a background task; stop() waits for it. Cancellation ends it quietly, other errors go to `onError`. */
  run(task: () => Promise<void>, onError: (err: unknown) => void): void;
  /** Cancels every wait and in-flight request, then waits for the background tasks to end. */
  stop(): Promise<void>;
}

export function createScheduler(): Scheduler {
  const controller = new AbortController();
  const tasks = new Set<Promise<void>>();
  const waiters = new Set<() => void>();

  /** Calls `onAbort` once when the scheduler stops or `signal` aborts; returns the unsubscribe. */
  const onCancel = (signal: AbortSignal | undefined, onAbort: (reason: CancelledError) => void): (() => void) => {
    const fromStop = () => onAbort(new CancelledError('lender simulator stopped'));
    const fromSignal = () => onAbort(signal?.reason instanceof CancelledError ? signal.reason : new CancelledError());
    controller.signal.addEventListener('abort', fromStop, { once: true });
    signal?.addEventListener('abort', fromSignal, { once: true });
    return () => {
      controller.signal.removeEventListener('abort', fromStop);
      signal?.removeEventListener('abort', fromSignal);
    };
  };
  const alreadyCancelled = (signal: AbortSignal | undefined): CancelledError | undefined => {
    if (controller.signal.aborted) return new CancelledError('lender simulator stopped');
    if (signal?.aborted) return signal.reason instanceof CancelledError ? signal.reason : new CancelledError();
    return undefined;
  };

  const scheduler: Scheduler = {
    signal: controller.signal,
    get stopped() {
      return controller.signal.aborted;
    },

    sleep(ms, signal) {
      const cancelled = alreadyCancelled(signal);
      if (cancelled) return Promise.reject(cancelled);
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          unsubscribe();
          resolve();
        }, Math.max(0, ms));
        const unsubscribe = onCancel(signal, (reason) => {
          clearTimeout(timer);
          unsubscribe();
          reject(reason);
        });
      });
    },

    waitUntil(check, opts = {}) {
      const cancelled = alreadyCancelled(opts.signal);
      if (cancelled) return Promise.reject(cancelled);
      return new Promise((resolve, reject) => {
        let timer: NodeJS.Timeout | undefined;
        const finish = () => {
          waiters.delete(recheck);
          if (timer) clearTimeout(timer);
          unsubscribe();
        };
        const recheck = () => {
          let value: ReturnType<typeof check>;
          try {
            value = check();
          } catch (err) {
            finish();
            reject(err instanceof Error ? err : new Error(String(err)));
            return;
          }
          if (value === undefined || value === false) return;
          finish();
          resolve(value);
        };
        const unsubscribe = onCancel(opts.signal, (reason) => {
          finish();
          reject(reason);
        });
        if (opts.timeoutMs !== undefined) {
          timer = setTimeout(() => {
            finish();
            reject(new Error(`timed out after ${opts.timeoutMs} ms${opts.describe ? `: ${opts.describe()}` : ''}`));
          }, opts.timeoutMs);
        }
        waiters.add(recheck);
        recheck();
      });
    },

    wake() {
      for (const recheck of [...waiters]) recheck();
    },

    run(task, onError) {
      const running: Promise<void> = task()
        .catch((err: unknown) => {
          if (!(err instanceof CancelledError)) onError(err);
        })
        .finally(() => tasks.delete(running));
      tasks.add(running);
    },

    async stop() {
      controller.abort(new CancelledError('lender simulator stopped'));
      // Tasks may start follow-up tasks while unwinding; wait until none is left.
      while (tasks.size > 0) await Promise.allSettled([...tasks]);
    },
  };
  return scheduler;
}
