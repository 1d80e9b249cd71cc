/**
 * A real SMTP peer on loopback: accepts every message (no auth, no TLS), keeps it as an .eml file
 * plus an entry in `index.json` under `dir`, and shows the mailbox over HTTP:
 *
 *   GET    /                    HTML list (from, to, subject, date, link)
 *   GET    /messages            JSON list of StoredMail, newest last
 *   GET    /messages/:id        JSON StoredMail
 *   GET    /messages/:id/raw    the .eml (message/rfc822)
 *   GET    /messages/:id/attachments/:index   one attachment's bytes
 *   DELETE /messages            clears the mailbox
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface StoredAttachment {
  filename: string | undefined;
  contentType: string;
  size: number;
}

export interface StoredMail {
  id: string;
  messageId: string | undefined;
  from: string;
  /** Header recipients (To, Cc) as bare addresses. */
  to: string[];
  /** Envelope recipients (RCPT TO), which include Bcc. */
  envelopeTo: string[];
  subject: string;
  /** The Date header (ISO), or the time received. */
  date: string;
  receivedAt: string;
  text: string;
  html?: string;
  /** Selected headers that tests like to check (idempotency keys and the like). */
  headers: Record<string, string>;
  attachments: StoredAttachment[];
}

export interface SmtpPeerOptions {
  /** SMTP port; 0 picks a free one. */
  smtpPort: number;
  /** HTTP UI/API port; 0 picks a free one. */
  httpPort: number;
  /** Folder for the .eml files and index.json. Created when missing; existing mail is kept. */
  dir: string;
  /** Loopback by default. */
  host?: string;
  log?: (line: string) => void;
}

export interface SmtpPeer {
  smtpPort: number;
  httpPort: number;
  /** e.g. smtp://127.0.0.1:2525 */
  smtpUrl: string;
  /** e.g. http://127.0.0.1:8025 */
  uiUrl: string;
  dir: string;
  messages(): Promise<StoredMail[]>;
  clear(): Promise<void>;
  /** Resolves with the first stored mail matching `predicate` (already stored or arriving later). */
  waitFor(predicate: (mail: StoredMail) => boolean, timeoutMs?: number): Promise<StoredMail>;
  stop(): Promise<void>;
}

const INDEX = 'index.json';

export async function startSmtpPeer(opts: SmtpPeerOptions): Promise<SmtpPeer> {
  const host = opts.host ?? '127.0.0.1';
  const dir = path.resolve(opts.dir);
  const log = opts.log ?? ((line: string) => console.log(`[smtp] ${line}`));
  await mkdir(dir, { recursive: true });

  let index: StoredMail[] = await loadIndex(dir);
  const waiters = new Set<{ predicate: (m: StoredMail) => boolean; resolve: (m: StoredMail) => void }>();
  // All index writes go through one chain so concurrent deliveries never lose an entry.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn, fn);
    chain = next.catch(() => undefined);
    return next;
  };
  const saveIndex = async () => {
    const tmp = path.join(dir, `${INDEX}.${process.pid}.tmp`);
    await writeFile(tmp, JSON.stringify(index, null, 2));
    await rename(tmp, path.join(dir, INDEX));
  };

  const store = async (raw: Buffer, envelopeTo: string[]): Promise<StoredMail> => {
    const parsed = await simpleParser(raw);
    const now = new Date();
    const id = `${now.toISOString().replace(/[-:.]/g, '').replace('T', '-').slice(0, 18)}-${randomBytes(4).toString('hex')}`;
    const headers: Record<string, string> = {};
    for (const [key, value] of parsed.headers) {
      if (key.startsWith('x-') || key === 'in-reply-to' || key === 'references') {
        headers[key] = typeof value === 'string' ? value : JSON.stringify(value);
      }
    }
    const mail: StoredMail = {
      id,
      messageId: parsed.messageId,
      from: parsed.from?.value.map((a) => a.address ?? '').filter(Boolean).join(', ') ?? '',
      to: [...addresses(parsed.to), ...addresses(parsed.cc)],
      envelopeTo,
      subject: parsed.subject ?? '',
      date: (parsed.date ?? now).toISOString(),
      receivedAt: now.toISOString(),
      text: parsed.text ?? '',
      ...(typeof parsed.html === 'string' ? { html: parsed.html } : {}),
      headers,
      attachments: parsed.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, size: a.size })),
    };
    await writeFile(path.join(dir, `${id}.eml`), raw);
    await serial(async () => {
      index.push(mail);
      await saveIndex();
    });
    for (const w of waiters) {
      if (w.predicate(mail)) {
        waiters.delete(w);
        w.resolve(mail);
      }
    }
    return mail;
  };

  const smtp = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    hideSTARTTLS: true,
    logger: false,
    banner: 'dossierflow SMTP peer',
    size: 50 * 1024 * 1024,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', callback);
      stream.on('end', () => {
        const rcpt = session.envelope.rcptTo.map((r) => r.address);
        store(Buffer.concat(chunks), rcpt).then(
          (mail) => {
            log(`stored ${mail.id}: ${mail.from} -> ${mail.envelopeTo.join(', ')} "${mail.subject}"`);
            callback(null, `Queued as ${mail.id}`);
          },
          (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
        );
      });
    },
  });
  smtp.on('error', (err) => log(`SMTP error: ${err.message}`));

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err));
    });
  });
  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://local');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    const find = (id: string | undefined) => index.find((m) => m.id === id);
    if (req.method === 'GET' && parts.length === 0) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(renderHtml(index));
      return;
    }
    if (parts[0] !== 'messages') return json(404, { error: 'not found' });
    if (parts.length === 1 && req.method === 'GET') return json(200, index);
    if (parts.length === 1 && req.method === 'DELETE') {
      await clear();
      res.writeHead(204);
      res.end();
      return;
    }
    const mail = find(parts[1]);
    if (!mail || req.method !== 'GET') return json(404, { error: `no message ${parts[1] ?? ''}` });
    if (parts.length === 2) return json(200, mail);
    if (parts.length === 3 && parts[2] === 'raw') {
      res.writeHead(200, { 'content-type': 'message/rfc822', 'content-disposition': `inline; filename="${mail.id}.eml"` });
      res.end(await readFile(path.join(dir, `${mail.id}.eml`)));
      return;
    }
    if (parts.length === 4 && parts[2] === 'attachments') {
      const parsed = await simpleParser(await readFile(path.join(dir, `${mail.id}.eml`)));
      const att = parsed.attachments[Number(parts[3])];
      if (!att) return json(404, { error: 'no such attachment' });
      res.writeHead(200, { 'content-type': att.contentType, 'content-length': att.size });
      res.end(att.content);
      return;
    }
    json(404, { error: 'not found' });
  };

  const clear = () =>
    serial(async () => {
      const files = await readdir(dir);
      await Promise.all(files.filter((f) => f.endsWith('.eml')).map((f) => rm(path.join(dir, f), { force: true })));
      index = [];
      await saveIndex();
    });

  const listen = (srv: { listen: (port: number, host: string, cb: () => void) => unknown; once: (ev: 'error', cb: (e: Error) => void) => unknown }, port: number, what: string) =>
    new Promise<void>((resolve, reject) => {
      srv.once('error', (e: Error) => reject(new Error(`SMTP peer: cannot listen for ${what} on ${host}:${port}: ${e.message}`)));
      srv.listen(port, host, () => resolve());
    });

  await listen(smtp.server, opts.smtpPort, 'SMTP');
  try {
    await listen(server, opts.httpPort, 'HTTP');
  } catch (err) {
    await new Promise<void>((r) => smtp.close(() => r()));
    throw err;
  }
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  const httpPort = (server.address() as AddressInfo).port;

  let stopped: Promise<void> | undefined;
  return {
    smtpPort,
    httpPort,
    smtpUrl: `smtp://${host}:${smtpPort}`,
    uiUrl: `http://${host}:${httpPort}`,
    dir,
    messages: async () => [...index],
    clear,
    waitFor(predicate, timeoutMs = 30_000) {
      const found = index.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise<StoredMail>((resolve, reject) => {
        const waiter = {
          predicate,
          resolve: (m: StoredMail) => {
            clearTimeout(timer);
            resolve(m);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`SMTP peer: no matching mail within ${timeoutMs} ms (${index.length} stored)`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    stop: () =>
      (stopped ??= (async () => {
        server.closeAllConnections();
        await Promise.all([
          new Promise<void>((r) => server.close(() => r())),
          new Promise<void>((r) => smtp.close(() => r())),
        ]);
        await chain;
      })()),
  };
}

async function loadIndex(dir: string): Promise<StoredMail[]> {
  const file = path.join(dir, INDEX);
  if (!existsSync(file)) return [];
  try {
    const data: unknown = JSON.parse(await readFile(file, 'utf8'));
    return Array.isArray(data) ? (data as StoredMail[]) : [];
  } catch {
    return [];
  }
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  if (!field) return [];
  const list = Array.isArray(field) ? field : [field];
  return list.flatMap((o) => o.value.flatMap((a) => (a.address ? [a.address] : (a.group ?? []).flatMap((g) => (g.address ? [g.address] : [])))));
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

function renderHtml(mails: StoredMail[]): string {
  const rows = [...mails]
    .reverse()
    .map(
      (m) => `<tr><td>${esc(new Date(m.date).toLocaleString('nl-NL'))}</td><td>${esc(m.from)}</td><td>${esc(m.to.join(', ') || m.envelopeTo.join(', '))}</td>` +
        `<td><a href="/messages/${encodeURIComponent(m.id)}">${esc(m.subject || '(no subject)')}</a></td>` +
        `<td>${m.attachments.length ? esc(m.attachments.map((a) => a.filename ?? 'attachment').join(', ')) : ''}</td>` +
        `<td><a href="/messages/${encodeURIComponent(m.id)}/raw">.eml</a></td></tr>`,
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>dossierflow mail (${mails.length})</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}th{background:#f4f4f4}</style>
</head><body><h1>Mail received by the SMTP peer (${mails.length})</h1>
<p>JSON: <a href="/messages">/messages</a>. Clear: <code>curl -X DELETE ${'$'}URL/messages</code></p>
<table><thead><tr><th>Date</th><th>From</th><th>To</th><th>Subject</th><th>Attachments</th><th>Raw</th></tr></thead>
<tbody>${rows || '<tr><td colspan="6">No mail yet.</td></tr>'}</tbody></table></body></html>`;
}
