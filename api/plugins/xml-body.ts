/**
 * The XML routes' shared edge (POST /hdn/messages, /billing/bank-imports, /risk/messages):
 * the XML pool and per-party body limits from settings, and the hook that enforces a party's
 * limit while the body is read, before it is parsed or stored.
 */
import { Transform } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { XML_BODY_CEILINGS, type Settings } from '../../config/settings.js';
import { XmlParsePool } from '../../integrations/xml/index.js';
import type { Principal } from '../../domain/roles.js';
import { HttpProblem } from '../problem.js';
import type { XmlBodyLimits, XmlDeps } from '../types.js';

/** The body limits when settings do not lower them: each route's own limit. */
export const defaultXmlBodyLimits: Readonly<XmlBodyLimits> = Object.freeze({ ...XML_BODY_CEILINGS });

/** The XML deps of a server from its settings (XML_POOL_*, XML_PARSE_TIMEOUT_MS, XML_WORKER_HEAP_MB, XML_BODY_LIMIT_*). */
export function xmlDepsFromSettings(settings: Settings): XmlDeps {
  return {
    pool: new XmlParsePool({
      threads: settings.xmlPoolThreads,
      timeoutMs: settings.xmlParseTimeoutMs,
      maxQueue: settings.xmlPoolQueue,
      maxHeapMb: settings.xmlWorkerHeapMb,
    }),
    bodyLimits: {
      lender: settings.xmlBodyLimitLender,
      adviceSoftware: settings.xmlBodyLimitAdviceSoftware,
      bankFile: settings.xmlBodyLimitBankFile,
      risk: settings.xmlBodyLimitRisk,
    },
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
