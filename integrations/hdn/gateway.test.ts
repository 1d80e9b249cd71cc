/**
 * The outbound HDN transport against a real loopback HTTP server: what it sends, and how each
 * kind of answer (or no answer) is classified for the caller's retry decision.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHdnGateway, HdnGatewayError } from './gateway.js';
import { HdnError, HdnErrorType } from './types.js';

interface Received {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const received: Received[] = [];
/** Resolved when a request reaches `/hang` (the test then knows it is in flight). */
const hangArrivals: (() => void)[] = [];
let server: http.Server;
let base: string;

/** Each path answers in one way; `/hang` never answers (timeout), `/drop` closes the socket. */
function respond(path: string, res: http.ServerResponse, req: http.IncomingMessage): void {
  switch (path) {
    case '/ok':
      res.writeHead(202, { 'content-type': 'application/xml' }).end('<Ack>ontvangen</Ack>');
      return;
    case '/bad':
      res.writeHead(400, { 'content-type': 'text/plain' }).end('VerzenderNrHDN ontbreekt');
      return;
    case '/forbidden':
      res.writeHead(403, { 'content-type': 'application/problem+json' }).end('{"title":"Forbidden","detail":"wrong node"}');
      return;
    case '/busy':
      res.writeHead(503, { 'retry-after': '1' }).end('maintenance');
      return;
    case '/slow-down':
      res.writeHead(429).end();
      return;
    case '/moved':
      res.writeHead(301, { location: '/ok' }).end();
      return;
    case '/drop':
      req.socket.destroy();
      return;
    case '/hang':
      for (const arrived of hangArrivals.splice(0)) arrived();
      return;
    default:
      res.writeHead(404).end();
  }
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ method: req.method ?? '', path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      respond(path, res, req);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function failure(promise: Promise<unknown>): Promise<HdnError> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HdnError);
  return err as HdnError;
}

const xml = '<?xml version="1.0" encoding="UTF-8"?><HDN><Toelichting>één €</Toelichting></HDN>';

describe('HDN gateway', () => {
  it('posts the XML as UTF-8 with bearer token and idempotency key, and returns the answer', async () => {
    const gateway = createHdnGateway({ url: `${base}/ok`, token: 'secret-token' });
    const res = await gateway.send(xml, { idempotencyKey: 'AX:LND001:INT001:A-1:1' });
    expect(res).toEqual({ status: 202, body: '<Ack>ontvangen</Ack>' });

    const req = received.at(-1)!;
    expect(req.method).toBe('POST');
    expect(req.body).toBe(xml);
    expect(req.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(req.headers.authorization).toBe('Bearer secret-token');
    expect(req.headers['idempotency-key']).toBe('AX:LND001:INT001:A-1:1');
  });

  it('sends no idempotency-key header when none is given', async () => {
    await createHdnGateway({ url: `${base}/ok`, token: 't' }).send(xml);
    expect(received.at(-1)!.headers['idempotency-key']).toBeUndefined();
  });

  it('4xx is a final rejection that carries the answer text', async () => {
    const err = await failure(createHdnGateway({ url: `${base}/bad`, token: 't' }).send(xml));
    expect(err.type).toBe(HdnErrorType.GatewayRejected);
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('400');
    expect(err.message).toContain('VerzenderNrHDN ontbreekt');

    const forbidden = await failure(createHdnGateway({ url: `${base}/forbidden`, token: 't' }).send(xml));
    expect(forbidden.type).toBe(HdnErrorType.GatewayRejected);
    expect(forbidden.message).toContain('wrong node');
  });

  it('5xx and 429 are retryable unavailability', async () => {
    for (const path of ['/busy', '/slow-down']) {
      const err = await failure(createHdnGateway({ url: `${base}${path}`, token: 't' }).send(xml));
      expect(err.type).toBe(HdnErrorType.GatewayUnavailable);
      expect(err.retryable).toBe(true);
    }
    const busy = await failure(createHdnGateway({ url: `${base}/busy`, token: 't' }).send(xml));
    expect(busy.message).toContain('503');
    expect(busy.message).toContain('maintenance');
  });

  it('a redirect is not followed (a POST must not turn into a GET) and is not retryable', async () => {
    const before = received.length;
    const err = await failure(createHdnGateway({ url: `${base}/moved`, token: 't' }).send(xml));
    expect(err.type).toBe(HdnErrorType.GatewayRejected);
    expect(err.message).toContain('/ok');
    expect(received.length).toBe(before + 1);
  });

  it('no answer within the timeout is retryable unavailability', async () => {
    const err = await failure(createHdnGateway({ url: `${base}/hang`, token: 't', timeoutMs: 200 }).send(xml));
    expect(err.type).toBe(HdnErrorType.GatewayUnavailable);
    expect(err.message).toContain('200 ms');
  });

  it("the caller's abort signal ends the request with the caller's reason, not a gateway error", async () => {
    const controller = new AbortController();
    const inFlight = new Promise<void>((resolve) => hangArrivals.push(resolve));
    const sending = createHdnGateway({ url: `${base}/hang`, token: 't' }).send(xml, { signal: controller.signal });
    const reason = new Error('shutting down');
    // Abort once the request is at the server (an event, not "after 20 ms").
    await inFlight;
    controller.abort(reason);
    await expect(sending).rejects.toBe(reason);
  });

  it('errors carry the HTTP status when there was an answer', async () => {
    const err = await failure(createHdnGateway({ url: `${base}/busy`, token: 't' }).send(xml));
    expect(err).toBeInstanceOf(HdnGatewayError);
    expect((err as HdnGatewayError).status).toBe(503);
  });

  it('a dropped connection and a refused connection are retryable unavailability', async () => {
    const dropped = await failure(createHdnGateway({ url: `${base}/drop`, token: 't' }).send(xml));
    expect(dropped.type).toBe(HdnErrorType.GatewayUnavailable);

    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = await failure(createHdnGateway({ url: `http://127.0.0.1:${port}/hdn`, token: 't' }).send(xml));
    expect(refused.type).toBe(HdnErrorType.GatewayUnavailable);
    expect(refused.retryable).toBe(true);
    expect(refused.message).toMatch(/ECONNREFUSED/);
  });

  it('refuses a bad configuration up front', () => {
    expect(() => createHdnGateway({ url: 'not a url', token: 't' })).toThrow(/not a URL/);
    expect(() => createHdnGateway({ url: 'ftp://x/hdn', token: 't' })).toThrow(/http/);
    expect(() => createHdnGateway({ url: `${base}/ok`, token: '' })).toThrow(/token/);
    expect(() => createHdnGateway({ url: `${base}/ok`, token: 't', timeoutMs: 0 })).toThrow(/timeoutMs/);
  });
});
