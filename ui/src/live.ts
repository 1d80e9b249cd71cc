/**
 * Live updates (*live-updates*): one shared connection per tab to the API's `GET /events`
 * (server-sent events), read with fetch streaming so it carries the same sign-in as every other
 * request (`signInHeaders`: EventSource cannot send a bearer token). Each event names what
 * changed (kind and ids); `useLoad` (hooks.ts) reloads what it shows. While the stream is down
 * (refused, cut, not yet open) the pages poll as before; after it comes back they reload once,
 * since events are not replayed.
 */
import { noteSignedOut, signInHeaders } from './api';
import type { LiveEvent } from './types';

export type { LiveEvent };

export interface LiveListener {
  event(event: LiveEvent): void;
  /** The stream came up (true) or went down (false). */
  status(up: boolean): void;
}

const listeners = new Set<LiveListener>();
let up = false;
let abort: AbortController | undefined;
let retryTimer: number | undefined;
/** Milliseconds before the next attempt: the server's `retry:`, doubled after each refusal up to RETRY_MAX_MS. */
let retryMs = 3000;
const RETRY_MAX_MS = 30_000;

/** Whether the stream is open now (pages then poll slowly). */
export function liveIsUp(): boolean {
  return up;
}

/** Listens to the shared stream; the first listener opens it, the last one closes it. Returns the unsubscribe. */
export function subscribeLive(listener: LiveListener): () => void {
  listeners.add(listener);
  if (listeners.size === 1) void connect();
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) disconnect();
  };
}

/** Events about this dossier (itself, its products, tasks, invoices, messages). */
export const forDossier =
  (dossierId: string) =>
  (e: LiveEvent): boolean =>
    e.dossierId === dossierId || e.id === dossierId;

/** Events about this product (its history, invoices, tasks). */
export const forProduct =
  (productId: string) =>
  (e: LiveEvent): boolean =>
    e.productId === productId || e.id === productId;

function setUp(value: boolean): void {
  if (up === value) return;
  up = value;
  for (const l of [...listeners]) l.status(value);
}

function disconnect(): void {
  window.clearTimeout(retryTimer);
  retryTimer = undefined;
  abort?.abort();
  abort = undefined;
  setUp(false);
}

function scheduleRetry(): void {
  if (listeners.size === 0 || retryTimer !== undefined) return;
  retryTimer = window.setTimeout(() => {
    retryTimer = undefined;
    void connect();
  }, retryMs);
}

async function connect(): Promise<void> {
  if (abort || listeners.size === 0) return;
  const mine = new AbortController();
  abort = mine;
  try {
    const res = await fetch('/events', {
      headers: { accept: 'text/event-stream', ...signInHeaders('GET') },
      credentials: 'same-origin',
      signal: mine.signal,
    });
    noteSignedOut(res, '/events');
    if (!res.ok || !res.body || !(res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
      return;
    }
    setUp(true);
    await read(res.body);
  } catch {
    // Cut or refused: polling carries on, and the stream is tried again.
  } finally {
    if (abort === mine) {
      abort = undefined;
      setUp(false);
      scheduleRetry();
    }
  }
}

/** Reads `event:`/`data:`/`retry:` blocks until the stream ends; comment lines (keep-alives) are skipped. */
async function read(body: ReadableStream<Uint8Array>): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let data = '';
      for (const line of block.split('\n')) {
        if (line.startsWith('data:')) data += line.slice(5).trimStart();
        else if (line.startsWith('retry:')) retryMs = Number(line.slice(6).trim()) || retryMs;
      }
      if (!data) continue;
      let event: LiveEvent;
      try {
        event = JSON.parse(data) as LiveEvent;
      } catch {
        continue;
      }
      for (const l of [...listeners]) l.event(event);
    }
  }
}
