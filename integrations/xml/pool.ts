/**
 * Parsing off the event loop: a small pool of worker threads that run a codec's parse function
 * (HDN, camt, RISK) with a time budget, so a hostile body costs the API's event loop only the
 * hand-over, never the scan or the parse.
 *
 *   const pool = new XmlParsePool({ threads: 2, timeoutMs: 3000, maxQueue: 32, maxHeapMb: 256 });
 *   const message = await pool.run({ module: import.meta.url, fn: 'parseHdn', args: [xml] }, reviveHdnError);
 *
 * - A job names an exported function of a module by URL; the worker imports the module (once)
 *   and calls it. The value must survive structured cloning (plain data); an error comes back
 *   as `{ name, message, props }` and `revive` turns it into the codec's own error type again.
 * - Time budget: a job that runs longer than `timeoutMs` (or its own longer `XmlJob.timeoutMs`; from the moment its thread starts
 *   it: queueing, a new thread's start and a module's first import excluded) is failed with XmlPoolError `timeout`, its thread is terminated and a
 *   fresh one takes its place. A thread that dies (out of memory: `maxHeapMb` bounds each
 *   thread's heap; an uncaught error) fails only the job it was running (`crashed`).
 * - Bounded: at most `threads` jobs run, at most `maxQueue` wait; more is refused at once
 *   (`busy`), so a flood of bodies cannot queue unbounded memory.
 * - Threads start on the first job and are unref'ed while idle: a pool that never parses costs
 *   nothing and an idle pool does not keep the process alive. `close()` terminates them.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

export interface XmlPoolOptions {
  /** Worker threads (parallel parses). */
  threads: number;
  /** Time budget of one job, from the moment its thread starts it. */
  timeoutMs: number;
  /** Jobs that may wait for a thread; more are refused with `busy`. */
  maxQueue: number;
  /** Old-generation heap of each thread: a parse that needs more kills its thread (`crashed`). */
  maxHeapMb: number;
}

export const defaultXmlPoolOptions: Readonly<XmlPoolOptions> = Object.freeze({ threads: 2, timeoutMs: 3000, maxQueue: 32, maxHeapMb: 256 });

/** Why the pool, not the document, failed a job. */
export type XmlPoolFailure = 'timeout' | 'crashed' | 'busy' | 'closed';

export class XmlPoolError extends Error {
  readonly failure: XmlPoolFailure;
  constructor(failure: XmlPoolFailure, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'XmlPoolError';
    this.failure = failure;
  }
}

export interface XmlJob {
  /** URL of the module (`import.meta.url` of the codec). */
  module: string;
  /** Name of its exported function. */
  fn: string;
  /** Arguments; structured-cloned into the thread. */
  args: readonly unknown[];
  /**
   * A longer budget for this job than the pool's `timeoutMs` (never a shorter one): a codec whose
   * legitimate documents are large (a bank file of tens of thousands of transactions) scales it
   * with the size it was allowed to take.
   */
  timeoutMs?: number;
}

/** An error thrown in a thread, as it comes back. */
export interface SerializedError {
  name: string;
  message: string;
  /** Its own enumerable properties with plain values (type, path, element, ...). */
  props: Record<string, unknown>;
}

/** Turns a serialized error back into the codec's error type; undefined = a plain Error. */
export type ErrorReviver = (error: SerializedError) => Error | undefined;

interface Pending {
  job: XmlJob;
  revive: ErrorReviver | undefined;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Thread {
  worker: Worker;
  /** The job it runs, with its timer (set once the thread has started the job). */
  current?: { id: number; pending: Pending; timer?: NodeJS.Timeout };
}

type WorkerAnswer =
  | { id: number; started: true }
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: SerializedError };

const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './pool-worker.ts' : './pool-worker.js', import.meta.url);

/**
 * A worker running `pool-worker`. From sources (tsx, vitest) the thread registers tsx's loader
 * first, so the codecs' TypeScript imports resolve as in the main thread.
 */
function startWorker(maxHeapMb: number): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: maxHeapMb, maxYoungGenerationSizeMb: Math.max(16, Math.round(maxHeapMb / 8)) };
  if (!WORKER_URL.pathname.endsWith('.ts')) return new Worker(WORKER_URL, { resourceLimits });
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href;
  const code = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}); });`;
  return new Worker(code, { eval: true, resourceLimits });
}

export class XmlParsePool {
  readonly options: Readonly<XmlPoolOptions>;
  private readonly threads: Thread[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  /** Threads replaced after a timeout or a crash (for tests and the benchmark). */
  replaced = 0;

  constructor(options: Partial<XmlPoolOptions> = {}) {
    this.options = Object.freeze({ ...defaultXmlPoolOptions, ...options });
    for (const [name, value] of Object.entries(this.options)) {
      if (!(Number.isInteger(value) && value > 0)) throw new RangeError(`XML pool option ${name} must be a positive integer, got ${String(value)}`);
    }
  }

  /** Runs `job` on a thread; rejects with the revived error, or XmlPoolError when the pool failed it. */
  run<T>(job: XmlJob, revive?: ErrorReviver): Promise<T> {
    if (this.closed) return Promise.reject(new XmlPoolError('closed', 'The XML reader is shut down'));
    return new Promise<T>((resolve, reject) => {
      const pending: Pending = { job, revive, resolve: resolve as (value: unknown) => void, reject };
      const idle = this.idleThread();
      if (idle) {
        this.dispatch(idle, pending);
        return;
      }
      if (this.queue.length >= this.options.maxQueue) {
        reject(new XmlPoolError('busy', `The XML reader is busy (${this.options.threads} parsing, ${this.queue.length} waiting); try again shortly`));
        return;
      }
      this.queue.push(pending);
    });
  }

  /** Threads running now, jobs waiting. */
  stats(): { threads: number; busy: number; queued: number; replaced: number } {
    return { threads: this.threads.length, busy: this.threads.filter((t) => t.current).length, queued: this.queue.length, replaced: this.replaced };
  }

  /** Worker thread ids, for tests that check a thread was replaced. */
  threadIds(): number[] {
    return this.threads.map((t) => t.worker.threadId);
  }

  /** Fails waiting and running jobs with `closed` and terminates the threads. */
  async close(): Promise<void> {
    this.closed = true;
    const closedError = (): XmlPoolError => new XmlPoolError('closed', 'The XML reader was shut down');
    for (const pending of this.queue.splice(0)) pending.reject(closedError());
    const threads = this.threads.splice(0);
    for (const thread of threads) {
      if (thread.current) {
        clearTimeout(thread.current.timer);
        thread.current.pending.reject(closedError());
        thread.current = undefined;
      }
    }
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }

  /** The job's time budget: the pool's, or the job's own when that is longer. */
  private budgetOf(job: XmlJob): number {
    return Math.max(this.options.timeoutMs, job.timeoutMs ?? 0);
  }

  private idleThread(): Thread | undefined {
    const idle = this.threads.find((t) => !t.current);
    if (idle) return idle;
    if (this.threads.length < this.options.threads) return this.spawn();
    return undefined;
  }

  private spawn(): Thread {
    const worker = startWorker(this.options.maxHeapMb);
    const thread: Thread = { worker };
    this.threads.push(thread);
    worker.on('message', (answer: WorkerAnswer) => this.settle(thread, answer));
    // An uncaught error or running out of heap ends the thread: 'error' (when there is one), then 'exit'.
    worker.on('error', (error) => this.lose(thread, 'crashed', error));
    worker.on('exit', (code) => this.lose(thread, 'crashed', new Error(`XML worker thread exited with code ${code}`)));
    return thread;
  }

  private dispatch(thread: Thread, pending: Pending): void {
    const id = this.nextId++;
    thread.current = { id, pending };
    thread.worker.ref();
    try {
      thread.worker.postMessage({ id, module: pending.job.module, fn: pending.job.fn, args: pending.job.args });
    } catch (cause) {
      // Arguments that cannot be cloned: the caller's mistake, the thread is fine.
      thread.current = undefined;
      pending.reject(cause instanceof Error ? cause : new Error(String(cause)));
      this.next(thread);
    }
  }

  private settle(thread: Thread, answer: WorkerAnswer): void {
    const current = thread.current;
    if (!current || current.id !== answer.id) return;
    if ('started' in answer) {
      // The budget counts from here: a new thread's start and the module's first import are not the job's.
      current.timer = setTimeout(() => this.lose(thread, 'timeout'), this.budgetOf(current.pending.job));
      return;
    }
    clearTimeout(current.timer);
    thread.current = undefined;
    if (answer.ok) current.pending.resolve(answer.value);
    else current.pending.reject(reviveError(answer.error, current.pending.revive));
    this.next(thread);
  }

  /** The thread is gone (timeout: we end it; crash: it ended): fail its job, start a replacement. */
  private lose(thread: Thread, failure: 'timeout' | 'crashed', cause?: unknown): void {
    const index = this.threads.indexOf(thread);
    if (index === -1) return; // already replaced ('error' and 'exit' both report one crash)
    this.threads.splice(index, 1);
    thread.worker.removeAllListeners('message');
    const current = thread.current;
    thread.current = undefined;
    if (failure === 'timeout') void thread.worker.terminate();
    if (current) {
      clearTimeout(current.timer);
      current.pending.reject(
        failure === 'timeout'
          ? new XmlPoolError('timeout', `Reading the XML took longer than its budget of ${this.budgetOf(current.pending.job)} ms and was stopped`)
          : new XmlPoolError('crashed', 'The XML reader failed on this document (its thread ended)', { cause }),
      );
    }
    if (this.closed) return;
    this.replaced += 1;
    // The replacement starts right away when jobs wait; otherwise on the next job.
    const waiting = this.queue.shift();
    if (waiting) this.dispatch(this.spawn(), waiting);
  }

  private next(thread: Thread): void {
    const waiting = this.queue.shift();
    if (waiting) {
      this.dispatch(thread, waiting);
      return;
    }
    thread.worker.unref();
  }
}

function reviveError(error: SerializedError, revive: ErrorReviver | undefined): Error {
  const revived = revive?.(error);
  if (revived) return revived;
  const plain = new Error(error.message);
  plain.name = error.name;
  return plain;
}
