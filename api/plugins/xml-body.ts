/**
 * The XML routes' shared edge (POST /hdn/messages, /billing/bank-imports, /risk/messages):
 * the XML pool and per-party body limits from settings, and the hook that enforces a party's
 * limit while the body is read, before it is parsed or stored.
 */
import { Transform } from 'node:stream';
import { errorCodes, type FastifyInstance, type FastifyRequest } from 'fastify';
import { XML_BODY_CEILINGS, type Settings } from '../../config/settings.js';
import { XmlLimitScanner, XmlParsePool, xsdHookFromSettings, type StreamScanLimits } from '../../integrations/xml/index.js';
import { defaultHdnParseLimits } from '../../integrations/hdn/codec.js';
import type { Principal } from '../../domain/roles.js';
import { HttpProblem } from '../problem.js';
import { RefusedXmlBodies } from './xml-refusals.js';
import type { XmlBodyLimits, XmlDeps } from '../types.js';

/** The body limits when settings do not lower them: each route's own limit. */
export const defaultXmlBodyLimits: Readonly<XmlBodyLimits> = Object.freeze({ ...XML_BODY_CEILINGS });

/** The XML deps of a server from its settings (XML_POOL_*, XML_PARSE_TIMEOUT_MS, XML_WORKER_HEAP_MB, XML_BODY_LIMIT_*). */
export function xmlDepsFromSettings(settings: Settings): XmlDeps {
  const pool = new XmlParsePool({
    threads: settings.xmlPoolThreads,
    timeoutMs: settings.xmlParseTimeoutMs,
    maxQueue: settings.xmlPoolQueue,
    maxHeapMb: settings.xmlWorkerHeapMb,
  });
  return {
    pool,
    // The codec has accepted the body under its own limits before it is validated; text runs may
    // be as long as the body (base64 documents are raw-text elements in the codec).
    xsd: xsdHookFromSettings(settings, pool, {
      hdn: { limits: { ...defaultHdnParseLimits, maxBytes: Math.max(settings.xmlBodyLimitLender, settings.xmlBodyLimitAdviceSoftware), maxTextLength: XML_BODY_CEILINGS.lender } },
      afd: { limits: { maxBytes: settings.xmlBodyLimitRisk, maxTextLength: XML_BODY_CEILINGS.risk } },
    }),
    bodyLimits: {
      lender: settings.xmlBodyLimitLender,
      adviceSoftware: settings.xmlBodyLimitAdviceSoftware,
      bankFile: settings.xmlBodyLimitBankFile,
      risk: settings.xmlBodyLimitRisk,
    },
    refusals: new RefusedXmlBodies({ max: settings.xmlRefusedBodiesMax, windowSeconds: settings.xmlRefusedWindowSeconds, delayMs: settings.xmlRefusedDelayMs }),
  };
}

/** The limit that applies to this caller, the setting that sets it, and what the body is. */
export interface PartyLimit {
  bytes: number;
  setting: string;
  what: string;
}

/** "20 MiB", "4 KiB", "1500 bytes". */
function sizeText(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

function tooLarge(limit: PartyLimit): HttpProblem {
  const problem = new HttpProblem(413, 'body-too-large', `Request body is too large: ${limit.what} may be at most ${sizeText(limit.bytes)}; nothing was stored`, {
    limit: limit.setting,
    limitBytes: limit.bytes,
  });
  // Fastify's body reader keeps a 4xx statusCode of a stream error (it would make it a 400).
  Object.assign(problem, { statusCode: 413 });
  return problem;
}

/**
 * Enforces the caller's body limit in this (encapsulated) route context: a declared
 * Content-Length over it is refused before a byte is read, a body that grows past it (chunked)
 * as soon as it does. Runs after authentication (onRequest), so the principal is known.
 */
export function enforcePartyBodyLimit(app: FastifyInstance, limitOf: (principal: Principal | null) => PartyLimit): void {
  app.addHook('preParsing', async (request, _reply, payload) => {
    const limit = limitOf(request.principal);
    const declared = Number(request.headers['content-length']);
    if (declared > limit.bytes) throw tooLarge(limit);
    let received = 0;
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        if (received > limit.bytes) callback(tooLarge(limit));
        else callback(null, chunk);
      },
    });
    payload.on('error', (error) => counted.destroy(error));
    return payload.pipe(counted);
  });
}

/** The first buffer of a body (it doubles when more arrives, up to the declared length). */
const FIRST_BUFFER = 256 * 1024;

/** Requests whose body was cut short by the limit scan: answered with `Connection: close`. */
const cutShort = new WeakSet<FastifyRequest>();

/**
 * Reads a body into one SharedArrayBuffer: 256 KiB up front, doubled as the body grows (never
 * past its Content-Length), each chunk copied in as it arrives. The pool thread gets the same memory
 * (postMessage shares it, nothing is cloned) and no string is made of it on the event loop; a
 * body over `limit` is refused as soon as it is known to be.
 *
 * With `scan`, each chunk also goes through the limit scan (integrations/xml/limit-scan.ts):
 * once it finds a limit exceeded, reading stops (the stream is paused, the rest is never
 * received) and the prefix up to the scan's cut is the body, `cut` true. The reader refuses
 * that prefix exactly as it would have refused the whole body.
 */
function readIntoSharedMemory(
  payload: NodeJS.ReadableStream,
  declared: number,
  limit: number,
  scan?: StreamScanLimits,
): Promise<{ bytes: Uint8Array; cut: boolean }> {
  return new Promise((resolve, reject) => {
    if (declared > limit) {
      reject(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
      return;
    }
    const known = Number.isInteger(declared) && declared >= 0;
    // A declared length is not trusted with memory: the buffer starts small and doubles, so a
    // body the limit scan cuts short costs about what was read, not its declared 20 MiB. Every
    // buffer is external memory to V8 and brings its next full GC nearer (pauses of 10-20 ms on
    // this event loop under a stream of hostile bodies), so it is kept to what is needed.
    let bytes = new Uint8Array(new SharedArrayBuffer(Math.min(known ? declared : limit, FIRST_BUFFER)));
    let length = 0;
    const scanner = scan ? new XmlLimitScanner(scan) : undefined;
    const detach = (): void => {
      payload.removeListener('data', onData);
      payload.removeListener('end', onEnd);
      payload.removeListener('error', stop);
    };
    const stop = (error: Error): void => {
      detach();
      reject(error);
    };
    const onData = (chunk: Buffer | string): void => {
      const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      if (length + data.length > limit) {
        stop(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
        return;
      }
      if (length + data.length > bytes.length) {
        if (known && length + data.length > declared) {
          stop(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH());
          return;
        }
        const size = Math.min(known ? declared : limit, Math.max(bytes.length * 2, length + data.length));
        const grown = new Uint8Array(new SharedArrayBuffer(size));
        grown.set(bytes.subarray(0, length));
        bytes = grown;
      }
      const cut = scanner?.feed(data);
      if (cut !== undefined) {
        // Only the bytes up to the cut are needed (and copied); the rest is never read.
        bytes.set(data.subarray(0, cut - length), length);
        detach();
        payload.pause();
        resolve({ bytes: bytes.subarray(0, cut), cut: true });
        return;
      }
      bytes.set(data, length);
      length += data.length;
    };
    const onEnd = (): void => {
      detach();
      if (known && length !== declared) reject(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH());
      else resolve({ bytes: bytes.subarray(0, length), cut: false });
    };
    payload.on('data', onData);
    payload.on('end', onEnd);
    payload.on('error', stop);
  });
}

/**
 * The XML body parser of a route context: `application/xml` and `text/xml` as bytes in shared
 * memory, up to `bodyLimit` (the route's ceiling; `enforcePartyBodyLimit` lowers it per party).
 * Bytes, not a string: the event loop neither decodes, concatenates nor copies a body for the
 * reader (in a pool thread, which refuses invalid UTF-8 instead of replacing it); only a
 * document the reader accepted is decoded, to be stored.
 *
 * `scan`: the reader's counting limits for this route (its codec's). While the body arrives,
 * the limit scan checks them chunk by chunk; a body over one is read only up to where it goes
 * over, and the answer (the reader's refusal of that prefix, the same as of the whole body) is
 * sent with `Connection: close`, the request stream destroyed once it is flushed: the
 * remaining megabytes are never received.
 */
export function acceptXmlBodies(app: FastifyInstance, bodyLimit: number, scan?: StreamScanLimits): void {
  // A credential whose bodies keep being refused is refused unread (api/plugins/xml-refusals.ts):
  // after authentication (an instance hook, so it ran first), before the body is read.
  const refusals = app.deps.xml.refusals;
  app.addHook('onRequest', async (request) => {
    const problem = request.principal ? await refusals.refusal(request.principal.credentialId) : null;
    if (problem) {
      cutShort.add(request);
      throw problem;
    }
  });
  app.addHook('onResponse', async (request, reply) => {
    if ((reply.statusCode === 400 || reply.statusCode === 413) && request.principal) refusals.record(request.principal.credentialId);
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['application/xml', 'text/xml'], (request, payload, done) => {
    readIntoSharedMemory(payload, Number(request.headers['content-length']), bodyLimit, scan).then(
      ({ bytes, cut }) => {
        if (cut) cutShort.add(request);
        done(null, bytes);
      },
      (error: Error) => done(error, undefined),
    );
  });
  app.addHook('onSend', async (request, reply) => {
    if (cutShort.has(request)) reply.header('connection', 'close');
  });
  app.addHook('onResponse', async (request) => {
    if (cutShort.has(request)) request.raw.destroy();
  });
}

/**
 * Route option for the XML routes: the body schema (a string) documents the body in the
 * OpenAPI document; the bytes are checked by the XML reader, not by the JSON-schema validator.
 */
export const xmlBodyValidator = { validatorCompiler: () => () => true } as const;

/** The body the XML parser above produced. */
export function xmlBodyOf(request: FastifyRequest): Uint8Array {
  const body: unknown = request.body;
  if (!(body instanceof Uint8Array)) throw new TypeError('XML route without the XML body parser (acceptXmlBodies)');
  return body;
}
