/**
 * Every error is answered as application/problem+json, Fastify's and Node's own included
 * (issue 16 point 3), over real HTTP: the API listens on a loopback port and the requests are
 * written byte by byte to a socket, so what the HTTP parser refuses before any route runs
 * (431 headers too large, 414 URI too long, a control byte in a header, an unknown method, ...)
 * is seen exactly as a client sees it. PostgreSQL is real (authentication); Temporal is a stub.
 */
import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import type { MikroORM } from '../../db/orm.js';
import { createTestOffice, openOrm, temporalStub, uniquePerson, type TestOffice } from './support.js';

let orm: MikroORM;
let app: FastifyInstance;
let office: TestOffice;
let port: number;

beforeAll(async () => {
  orm = await openOrm();
  office = await createTestOffice(orm);
  app = buildApp({ orm, temporal: temporalStub() });
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as net.AddressInfo).port;
});

afterAll(async () => {
  await app?.close();
  await orm?.close(true);
});

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Writes `request` as it is to a new connection and reads the answer until the server closes it. */
function rawHttp(request: string | Buffer): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // The server may reset after answering a refused request; what it answered counts.
      if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') reject(err);
    });
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      if (split === -1) return reject(new Error(`no HTTP answer: ${JSON.stringify(text.slice(0, 200))}`));
      const [statusLine, ...headerLines] = text.slice(0, split).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of headerLines) {
        const i = line.indexOf(':');
        headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      let body = text.slice(split + 4);
      if (headers['transfer-encoding'] === 'chunked') body = dechunk(body);
      resolve({ status: Number(statusLine?.split(' ')[1]), headers, body });
    });
    socket.write(request);
  });
}

function dechunk(body: string): string {
  let out = '';
  let rest = body;
  for (;;) {
    const lineEnd = rest.indexOf('\r\n');
    const size = parseInt(rest.slice(0, lineEnd), 16);
    if (!size) return out;
    out += rest.slice(lineEnd + 2, lineEnd + 2 + size);
    rest = rest.slice(lineEnd + 2 + size + 2);
  }
}

/** A request that closes the connection after the answer (so rawHttp sees the end). */
const request = (line: string, headers: string[] = [], body = '') =>
  `${line}\r\nHost: 127.0.0.1\r\nConnection: close\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n${body}`;

function expectProblem(answer: RawAnswer, status: number, type: RegExp): Record<string, unknown> {
  expect(answer.status, answer.body).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(answer.body) as Record<string, unknown>;
  expect(body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String), instance: expect.any(String) });
  expect(String(body.type)).toMatch(type);
  return body;
}

const token = () => `Authorization: Bearer ${office.tokens.adviser}`;

describe('what the HTTP parser refuses, answered as problem+json over a real socket', () => {
  it('431 when the headers are too large', async () => {
    const answer = await rawHttp(request('GET /persons HTTP/1.1', [`X-Filler: ${'a'.repeat(20_000)}`]));
    expectProblem(answer, 431, /headers-too-large$/);
  });

  it('414 when the URL is too long for the request line', async () => {
    const answer = await rawHttp(request(`GET /persons?q=${'a'.repeat(20_000)} HTTP/1.1`));
    const body = expectProblem(answer, 414, /uri-too-long$/);
    expect(body.instance).toBe('/persons');
  });

  it('414 when a path parameter is longer than the router accepts', async () => {
    const answer = await rawHttp(request(`GET /persons/${'a'.repeat(300)} HTTP/1.1`, [token()]));
    expectProblem(answer, 414, /uri-too-long$/);
  });

  it('400 for a control byte in a header value and in a header name', async () => {
    expectProblem(await rawHttp(request('GET /persons HTTP/1.1', ['X-Note: a\x01b'])), 400, /bad-header$/);
    expectProblem(await rawHttp(request('GET /persons HTTP/1.1', ['X-No\x00te: ab'])), 400, /bad-header$/);
  });

  it('400 for an unknown method, a malformed Content-Length and a missing Host', async () => {
    expectProblem(await rawHttp(request('BREW /persons HTTP/1.1')), 400, /bad-method$/);
    expectProblem(await rawHttp(request('POST /persons HTTP/1.1', ['Content-Length: twelve'])), 400, /bad-request$/);
    expectProblem(await rawHttp('GET /health/live HTTP/1.1\r\nConnection: close\r\n\r\n'), 400, /missing-host$/);
  });

  it('417 for an Expect header other than 100-continue', async () => {
    expectProblem(await rawHttp(request('GET /health/live HTTP/1.1', ['Expect: tea'])), 417, /expectation-failed$/);
  });

  it('400 for a malformed percent-encoding in the path', async () => {
    expectProblem(await rawHttp(request('GET /persons/%E0%A4%A HTTP/1.1', [token()])), 400, /bad-url$/);
  });
});

describe("Fastify's own answers, as problem+json over real HTTP", () => {
  it('404 for an unknown route, 405 with Allow for a known path with another method', async () => {
    expectProblem(await rawHttp(request('GET /no-such-thing HTTP/1.1')), 404, /route-not-found$/);
    const wrongMethod = await rawHttp(request('PATCH /persons HTTP/1.1', [token()]));
    const body = expectProblem(wrongMethod, 405, /method-not-allowed$/);
    expect(wrongMethod.headers.allow).toBe('GET, HEAD, POST');
    expect(body.detail).toMatch(/PATCH is not allowed on \/persons/);
  });

  it('413 for a body over the limit, 415 for a content type the route does not read', async () => {
    const big = JSON.stringify({ ...uniquePerson(), note: 'x'.repeat(1_100_000) });
    const tooLarge = await rawHttp(request('POST /persons HTTP/1.1', [token(), 'Content-Type: application/json', `Content-Length: ${Buffer.byteLength(big)}`], big));
    expectProblem(tooLarge, 413, /body-too-large$/);
    const text = 'firstName=Anna';
    const unsupported = await rawHttp(request('POST /persons HTTP/1.1', [token(), 'Content-Type: application/x-www-form-urlencoded', `Content-Length: ${text.length}`], text));
    expectProblem(unsupported, 415, /unsupported-media-type$/);
  });

  it('400 for malformed JSON and for an empty JSON body', async () => {
    const broken = '{"firstName": "Anna",';
    expectProblem(
      await rawHttp(request('POST /persons HTTP/1.1', [token(), 'Content-Type: application/json', `Content-Length: ${broken.length}`], broken)),
      400,
      /malformed-json$/,
    );
    expectProblem(await rawHttp(request('POST /persons HTTP/1.1', [token(), 'Content-Type: application/json', 'Content-Length: 0'])), 400, /empty-body$/);
  });

  it('401 without a token and 400 for a body that breaks the schema, naming the field', async () => {
    expectProblem(await rawHttp(request('GET /persons HTTP/1.1')), 401, /unauthorized$/);
    const payload = JSON.stringify({ ...uniquePerson(), birthDate: 'yesterday' });
    const invalid = await rawHttp(request('POST /persons HTTP/1.1', [token(), 'Content-Type: application/json', `Content-Length: ${payload.length}`], payload));
    const body = expectProblem(invalid, 400, /validation$/);
    expect(body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: '/body/birthDate' })]));
  });
});
