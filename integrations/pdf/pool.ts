/**
 * A pool of worker threads that render PDFs (pdf-lib, render.ts), for bulk work such as the
 * invoice run: rendering is pure CPU (about 0.2 ms per one-page invoice since render.ts writes the PDF directly; 1.7 ms with pdf-lib objects), and on the main thread it would
 * hold up the event loop that also drives the database, SMTP and Temporal. With `threads: 0`
 * documents are rendered on the calling thread (the same bytes).
 *
 * Jobs go to the thread with the fewest in flight; a thread that dies fails its jobs (the
 * caller retries) and is replaced. `close()` ends the threads.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { renderDocumentPdf, type PdfDocumentInput } from './render.js';

export interface PdfPool {
  render(input: PdfDocumentInput): Promise<Uint8Array>;
  /** Threads in the pool (0: on the calling thread). */
  readonly threads: number;
  close(): Promise<void>;
}

interface Pending {
  resolve: (bytes: Uint8Array) => void;
  reject: (err: Error) => void;
}

interface Thread {
  worker: Worker;
  pending: Map<number, Pending>;
}

/** One thread less than the machine's cores (at least one): the main thread keeps a core. */
export function defaultPdfThreads(): number {
  return Math.max(1, os.availableParallelism() - 1);
}

/** The worker's file: the TypeScript source under tsx/vitest, the compiled .js in a build. */
function workerFile(): { url: URL; execArgv: string[] } {
  const ts = import.meta.url.endsWith('.ts');
  const url = new URL(`./render-worker.${ts ? 'ts' : 'js'}`, import.meta.url);
  return { url, execArgv: ts ? ['--import', 'tsx'] : [] };
}

export function createPdfPool(opts: { threads?: number } = {}): PdfPool {
  const size = opts.threads ?? defaultPdfThreads();
  if (size <= 0) return { threads: 0, render: (input) => renderDocumentPdf(input), close: async () => undefined };
  let nextId = 1;
  let closed = false;
  const threads: Thread[] = [];
  const spawn = (): Thread => {
    const { url, execArgv } = workerFile();
    const worker = new Worker(url, { execArgv });
    const thread: Thread = { worker, pending: new Map() };
    worker.on('message', (msg: { id: number; bytes?: Uint8Array; error?: string }) => {
      const p = thread.pending.get(msg.id);
      if (!p) return;
      thread.pending.delete(msg.id);
      if (msg.error !== undefined || !msg.bytes) p.reject(new Error(`PDF rendering failed: ${msg.error ?? 'no bytes'}`));
      else p.resolve(msg.bytes);
    });
    const fail = (err: Error): void => {
      for (const p of thread.pending.values()) p.reject(err);
      thread.pending.clear();
      const i = threads.indexOf(thread);
      if (i >= 0) threads.splice(i, 1);
      if (!closed) threads.push(spawn());
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!closed || thread.pending.size > 0) fail(new Error(`PDF thread exited (${code})`));
    });
    // An idle pool does not keep the process alive.
    worker.unref();
    return thread;
  };
  for (let i = 0; i < size; i++) threads.push(spawn());
  return {
    threads: size,
    render(input) {
      if (closed) return Promise.reject(new Error('the PDF pool is closed'));
      const thread = threads.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      const id = nextId++;
      return new Promise<Uint8Array>((resolve, reject) => {
        thread.pending.set(id, { resolve, reject });
        thread.worker.ref();
        thread.worker.postMessage({ id, input });
      }).finally(() => {
        if (thread.pending.size === 0) thread.worker.unref();
      });
    },
    async close() {
      closed = true;
      await Promise.all(threads.map((t) => t.worker.terminate()));
      threads.length = 0;
    },
  };
}
