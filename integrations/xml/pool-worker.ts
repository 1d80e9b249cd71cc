/**
 * The thread of XmlParsePool (pool.ts): imports the job's module once, calls the named export
 * with the arguments and posts back the value, or the error as `{ name, message, props }`
 * (structured cloning would keep only name and message of an Error subclass).
 */
import { parentPort } from 'node:worker_threads';
import type { SerializedError } from './pool.js';

interface JobMessage {
  id: number;
  module: string;
  fn: string;
  args: unknown[];
}

const port = parentPort!;
if (!parentPort) throw new Error('pool-worker.ts runs as a worker thread of XmlParsePool');

const modules = new Map<string, Promise<Record<string, unknown>>>();

function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), props: {} };
  const props: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (key === 'cause') continue;
    if (value === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof value)) props[key] = value;
    else if (Array.isArray(value)) props[key] = structuredClone(value);
  }
  return { name: error.name, message: error.message, props };
}

async function runJob(job: JobMessage): Promise<unknown> {
  let loading = modules.get(job.module);
  if (!loading) {
    loading = import(job.module) as Promise<Record<string, unknown>>;
    modules.set(job.module, loading);
  }
  const fn = (await loading)[job.fn];
  if (typeof fn !== 'function') throw new TypeError(`${job.module} has no exported function ${job.fn}`);
  // The time budget starts now: loading a module (once per thread) is not the document's cost.
  port.postMessage({ id: job.id, started: true });
  return (fn as (...args: unknown[]) => unknown)(...job.args);
}

port.on('message', (job: JobMessage) => {
  runJob(job).then(
    (value) => port.postMessage({ id: job.id, ok: true, value }),
    (error: unknown) => port.postMessage({ id: job.id, ok: false, error: serializeError(error) }),
  );
});
