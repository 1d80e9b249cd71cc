/**
 * The input contract at the edge, for what the schemas cannot say (api/validation.ts does the
 * rest):
 *
 * - A JSON body is read as bytes and decoded as strict UTF-8: invalid UTF-8 is refused (400
 *   `invalid-utf8`), never replaced by U+FFFD.
 * - Its nesting is bounded (MAX_JSON_DEPTH): a deeper body is refused (400 `too-deep`) by a scan
 *   of the text before it is parsed, so no recursive code downstream ever sees it.
 * - Every string in it, every property name included, and every querystring and path parameter
 *   value is checked against the text rule of domain/text.ts (`free`: no NUL, ESC, C1 controls,
 *   bidi overrides, lone surrogates; a string schema narrows this to `line` text unless it is
 *   marked free). This also covers the parts a schema leaves open (a process definition, a storno
 *   policy, a property value). A refusal is 400 problem+json naming the path: nothing is stored.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { describeCodePoint, forbiddenCharacter, textProblem } from '../../domain/text.js';
import { HttpProblem, type ProblemFieldError } from '../problem.js';

/** The deepest nesting of arrays and objects a JSON body may have (the process definition needs 8). */
export const MAX_JSON_DEPTH = 32;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The nesting depth of JSON text, stopping as soon as it exceeds `max` (strings are skipped). */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
  return false;
}

const pointerPart = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** Field errors for every string (and property name) in a parsed value that breaks the `free` text rule. */
export function textErrors(value: unknown, root: string, limit = 20): ProblemFieldError[] {
  const errors: ProblemFieldError[] = [];
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length && errors.length < limit) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      const message = textProblem(v, 'free');
      if (message) errors.push({ path, message });
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i -= 1) stack.push([v[i], `${path}/${i}`]);
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i -= 1) {
        const [key, inner] = entries[i]!;
        const bad = forbiddenCharacter(key, 'free');
        if (bad) errors.push({ path, message: `has a property name that contains ${describeCodePoint(bad.codePoint)}` });
        else stack.push([inner, `${path}/${pointerPart(key)}`]);
      }
    }
  }
  return errors;
}

function refuseText(errors: ProblemFieldError[]): HttpProblem {
  return new HttpProblem(400, 'validation', `Request validation failed: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, { errors });
}

async function inputContractPlugin(app: FastifyInstance): Promise<void> {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request: FastifyRequest, body: Buffer, done) => {
    let text: string;
    try {
      text = utf8.decode(body);
    } catch {
      const message = 'is not valid UTF-8 (a body is never read with replacement characters)';
      done(new HttpProblem(400, 'invalid-utf8', `Request body ${message}`, { errors: [{ path: '/body', message }] }), undefined);
      return;
    }
    if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
      const message = `nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`;
      done(new HttpProblem(400, 'too-deep', `Request body ${message}`, { errors: [{ path: '/body', message }] }), undefined);
      return;
    }
    parseJson(request, text, (err, parsed) => {
      if (err) return done(err, undefined);
      const errors = textErrors(parsed, '/body');
      return errors.length ? done(refuseText(errors), undefined) : done(null, parsed);
    });
  });

  app.addHook('preValidation', async (request) => {
    const errors = [...textErrors(request.params, '/params'), ...textErrors(request.query, '/querystring')];
    if (errors.length) throw refuseText(errors);
  });
}

export default fp(inputContractPlugin, { name: 'input-contract', fastify: '5.x' });
