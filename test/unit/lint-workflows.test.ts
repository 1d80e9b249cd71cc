/**
 * The lint rule that keeps workflows deterministic, tried on code it must refuse and code it
 * must accept (run through the project's real eslint.config.js).
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../config/settings.js';

const eslint = new ESLint({ cwd: projectRoot });

async function problemsIn(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

describe('workflow lint rule', () => {
  it.each([
    ["import { readFileSync } from 'node:fs';\nexport const x = readFileSync;", /no-restricted-imports.*Node built-ins/],
    ["import crypto from 'crypto';\nexport const x = crypto;", /no-restricted-imports.*Node built-ins/],
    ["import pg from 'pg';\nexport const x = pg;", /no-restricted-imports.*I\/O/],
    ["import { MikroORM } from '@mikro-orm/postgresql';\nexport const x = MikroORM;", /no-restricted-imports.*I\/O/],
    ["import { Client } from '@temporalio/client';\nexport const x = Client;", /no-restricted-imports.*I\/O/],
    ["import { createOrm } from '../../db/orm.js';\nexport const x = createOrm;", /no-restricted-imports.*activities/],
    ["import { createActivities } from '../../activities/index.js';\nexport const x = createActivities;", /no-restricted-imports.*activities/],
    ['export const x = process.env.HOME;', /no-restricted-globals.*process/],
    ["export const x = fetch('http://example.nl');", /no-restricted-globals.*network/],
  ])('refuses in workflows/: %s', async (code, expected) => {
    const problems = await problemsIn('workflows/products/example.ts', code);
    expect(problems.join('\n')).toMatch(expected);
  });

  it('accepts the workflow API, domain rules and type-only contracts', async () => {
    const code = [
      "import { proxyActivities, sleep } from '@temporalio/workflow';",
      "import type { ProductActivities } from '../../activities/products.contract.js';",
      "import { addDays } from '../../domain/dates.js';",
      'export const x = [proxyActivities, sleep, addDays];',
      'export type A = ProductActivities;',
    ].join('\n');
    expect(await problemsIn('workflows/products/example.ts', code)).toEqual([]);
  });

  it('applies the same purity to domain/ rules', async () => {
    const problems = await problemsIn('domain/example.ts', "import { writeFile } from 'node:fs/promises';\nexport const x = writeFile;");
    expect(problems.join('\n')).toMatch(/Node built-ins/);
  });

  it('leaves activities free to do I/O', async () => {
    expect(await problemsIn('activities/example.ts', "import { readFile } from 'node:fs/promises';\nexport const x = readFile;")).toEqual([]);
  });
});
