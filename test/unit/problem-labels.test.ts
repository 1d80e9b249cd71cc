/**
 * Every problem type the server can answer has a Dutch sentence in the web UI (issue 20, deliverable 6): the API
 * keeps its English details for its clients, the UI shows ui/src/problem-labels.ts. The closed list of slugs is read
 * from the server code itself (every `new DomainError`, `refuse.*`, `new HttpProblem`, `sendProblem` and the
 * refusal constants), so a new refusal without a Dutch label fails here, and so does a label for a slug the server
 * no longer emits. A slug the scan cannot read (not a literal, not a known constant) fails too.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fieldMessage, problemLabel, problemText } from '../../ui/src/problem-labels.js';
import { HdnRefusal } from '../../services/hdn/refusals.js';
import { BillingRefusal } from '../../domain/billing/side-effects.js';
import { PayoutRefusal } from '../../domain/ledger/side-effects.js';
import { DATE_PATTERN } from '../../domain/dates.js';
import { InstantSchema } from '../../services/shared/schemas.js';

const root = join(import.meta.dirname, '..', '..');
const serverFolders = ['api', 'services', 'domain', 'integrations', 'activities', 'config', 'db'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The top-level arguments of the call whose '(' is at `open`, as source text. */
function callArguments(text: string, open: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"' || c === '`') {
      // Skip a string (template literals with their ${...} parts are skipped whole: slugs are never built in them).
      let j = i + 1;
      let inner = 0;
      while (j < text.length) {
        if (text[j] === '\\') j += 2;
        else if (c === '`' && text[j] === '$' && text[j + 1] === '{') {
          inner++;
          j += 2;
        } else if (c === '`' && inner > 0 && text[j] === '}') {
          inner--;
          j++;
        }
        else if (text[j] === c && inner === 0) break;
        else j++;
      }
      i = j;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) {
        args.push(text.slice(start, i).trim());
        return args;
      }
    } else if (c === ',' && depth === 1) {
      args.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  return args;
}

const constants: Record<string, Record<string, string>> = { HdnRefusal, BillingRefusal, PayoutRefusal };
/** Slugs passed on in a variable, by file and expression: the values that variable can hold. */
const variables: Record<string, string[]> = {
  // The sign-in's refusals (services/access/users.ts SignInResult), answered as 401 with the reason as slug.
  'api/routes/access/index.ts result.reason': ['invalid-credentials', 'totp-required', 'totp-invalid'],
};

/** The slugs an argument can be: its literals, or the value of a known constant. */
function slugsOf(arg: string, where: string, text: string): string[] {
  const variable = variables[`${where.split(':')[0]} ${arg}`];
  if (variable) return variable;
  const literals = [...arg.matchAll(/'([a-z0-9-]+)'/g)].map((m) => m[1]!);
  if (literals.length > 0) return literals;
  const constant = /^(\w+)\.(\w+)$/.exec(arg);
  if (constant && constants[constant[1]!]?.[constant[2]!]) return [constants[constant[1]!]![constant[2]!]!];
  // api/plugins/problem.ts: fastify's codes through `slugOfFastifyCode`, whose values are read below.
  if (/^slugOfFastifyCode\[/.test(arg)) return [];
  // services/shared/xml-reader.ts: `slugs[err.failure]` over a local map of literals.
  if (/^slugs\[/.test(arg)) {
    const map = /const slugs = \{([^}]*)\}/.exec(text);
    if (map) return [...map[1]!.matchAll(/'([a-z0-9-]+)'/g)].map((m) => m[1]!);
  }
  throw new Error(`${where}: cannot tell the problem slug of ${JSON.stringify(arg)}; use a literal or a refusal constant`);
}

/** Calls that make a problem, and which argument is the slug (undefined: a fixed slug). */
const makers: { pattern: RegExp; slugArg?: number; fixed?: string }[] = [
  { pattern: /new DomainError\(/g, slugArg: 1 },
  { pattern: /refuse\.(?:notFoundAs|invalid|unprocessable|conflict|forbidden|tooLarge|unsupportedType|unavailable|upstreamFailed)\(/g, slugArg: 0 },
  { pattern: /refuse\.notFound\(/g, fixed: 'not-found' },
  { pattern: /refuse\.invalidField\(/g, fixed: 'validation' },
  { pattern: /new HttpProblem\(/g, slugArg: 1 },
  { pattern: /sendProblem\(/g, slugArg: 3 },
];

/** The definitions of the makers themselves pass a parameter on; they are not a slug. */
const definitions = new Set(['domain/errors.ts']);

function emittedSlugs(): Set<string> {
  const slugs = new Set<string>();
  for (const file of serverFolders.flatMap((f) => sourceFiles(join(root, f)))) {
    const path = relative(root, file);
    const text = readFileSync(file, 'utf8');
    for (const { pattern, slugArg, fixed } of makers) {
      for (const m of text.matchAll(pattern)) {
        if (fixed) {
          slugs.add(fixed);
          continue;
        }
        if (definitions.has(path)) continue;
        const open = m.index + m[0].length - 1;
        const arg = callArguments(text, open)[slugArg!];
        // Declarations name parameters (`slug: string`); `error.slug` passes on a refusal made elsewhere.
        if (arg === undefined || /^\w+:\s/.test(arg) || /^slug\b/.test(arg) || /^\w+\.slug$/.test(arg)) continue;
        for (const s of slugsOf(arg, `${path}:${text.slice(0, m.index).split('\n').length}`, text)) slugs.add(s);
      }
    }
    // Plain answers built as objects (api/plugins/problem.ts: clientErrorAnswer, the fastify code table, 417).
    for (const m of text.matchAll(/\bslug: '([a-z0-9-]+)'/g)) slugs.add(m[1]!);
    for (const m of text.matchAll(/\$\{PROBLEM_BASE\}([a-z0-9-]+)`/g)) slugs.add(m[1]!);
    const fastify = /const slugOfFastifyCode[^{]*\{([^}]*)\}/.exec(text);
    if (fastify) for (const m of fastify[1]!.matchAll(/:\s*'([a-z0-9-]+)'/g)) slugs.add(m[1]!);
  }
  slugs.delete('about:blank');
  return slugs;
}

describe('Dutch problem texts in the UI', () => {
  const emitted = emittedSlugs();

  it('finds the refusals of the server (the scan itself works)', () => {
    for (const known of ['not-found', 'validation', 'step-not-allowed', 'invalid-step-input', 'hdn-gateway-rejected', 'xml-read-timeout', 'uri-too-long', 'expectation-failed', 'bad-content-length', 'nonexistent-local-time']) {
      expect(emitted, known).toContain(known);
    }
    expect(emitted.size).toBeGreaterThan(150);
  });

  it('every slug the server can emit has a Dutch label', () => {
    const missing = [...emitted].filter((s) => problemLabel[s] === undefined).sort();
    expect(missing).toEqual([]);
  });

  it('every label names a slug the server emits', () => {
    const stale = Object.keys(problemLabel).filter((s) => !emitted.has(s)).sort();
    expect(stale).toEqual([]);
  });

  it.each([
    ['a label by slug', 409, { type: 'https://dossierflow.example/problems/appointment-started', detail: 'Appointment x has started' }, 'De afspraak is al begonnen.'],
    ['the Dutch detail of a refused step', 409, { type: 'https://dossierflow.example/problems/step-not-allowed', detail: 'Stap "X" is nu niet toegestaan: …' }, 'Stap "X" is nu niet toegestaan: …'],
    ['the fields of a validation problem', 400, { type: 'https://dossierflow.example/problems/validation', detail: 'Request validation failed', errors: [{ path: '/body/lastName', message: 'is required' }] }, 'Niet alle velden zijn goed ingevuld: lastName is verplicht.'],
    ['an unknown slug by its status', 404, { type: 'about:blank', detail: 'Not Found' }, problemLabel['not-found']],
    ['a server error', 502, 'Bad gateway', problemLabel.internal],
  ])('%s', (_name, status, body, expected) => {
    expect(problemText(status, body, typeof body === 'string' ? body : body.detail)).toBe(expected);
  });

  it.each([
    ['is required', 'is verplicht'],
    ["must have required property 'motivation'", 'is verplicht'],
    ['is not an allowed property', 'is geen toegestaan veld'],
    ['must NOT have fewer than 1 characters', 'vul dit veld in'],
    ['must NOT have fewer than 3 characters', 'ten minste 3 tekens'],
    ['must NOT have more than 200 characters', 'ten hoogste 200 tekens'],
    ['must match format "email"', 'moet een e-mailadres zijn'],
    ['must match pattern "^[0-9]{4}[A-Z]{2}$"', 'heeft niet de juiste vorm'],
    ['must match pattern "^[1-9][0-9]{3} ?[A-Za-z]{2}$"', 'Postcode: vier cijfers en twee letters, zoals 1234 AB'],
    [`must match pattern "${DATE_PATTERN}"`, 'moet een datum zijn tussen 1900 en 2200 (JJJJ-MM-DD)'],
    [`must match pattern "${String(InstantSchema.pattern)}"`, 'moet een datum met tijd zijn (tussen 1900 en 2200)'],
    ['must be integer', 'moet een geheel getal zijn'],
    ['must be >= 1', 'moet ten minste 1 zijn'],
    ['must be one of "A", "B"', 'moet een van deze zijn: "A", "B"'],
    ['must be equal to one of the allowed values', 'is geen toegestane waarde'],
    ['must not contain a control character: a single line of text without control characters', 'moet één regel tekst zijn zonder stuurtekens'],
    ['is in the future', 'ligt in de toekomst'],
    ['gives an age over 130 years', 'geeft een leeftijd boven 130 jaar: klopt het jaartal?'],
    ['check digits do not match', 'IBAN: de controlecijfers kloppen niet'],
    ['must be on or after 2026-01-01', 'moet op of na 2026-01-01 liggen'],
    // Not known here: shown as the API words it, rather than hiding what is wrong.
    ['is too odd', 'is too odd'],
  ])('field message %j → %j', (message, dutch) => {
    expect(fieldMessage(message)).toBe(dutch);
  });
});
