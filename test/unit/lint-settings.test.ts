/**
 * The lint rule that keeps every setting in config/: process.env is refused everywhere else
 * but in the start scripts, simulators, tests, benchmarks and tool configs (run through the
 * project's real eslint.config.js).
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../config/settings.js';

const eslint = new ESLint({ cwd: projectRoot });

async function problemsIn(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

const envRule = /no-restricted-properties: .*process\.env.*config\/settings\.ts/;

describe('settings lint rule (no process.env outside config/)', () => {
  it('refuses a deliberate process.env.X in services/', async () => {
    const problems = await problemsIn('services/insurance/example.ts', 'export const url = process.env.RISK_URL;\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(envRule);
  });

  it.each([
    ['services/insurance/example.ts', "export const url = process.env['RISK_URL'];\n"],
    ['services/insurance/example.ts', 'const { env } = process;\nexport const url = env.RISK_URL;\n'],
    ['integrations/risk/example.ts', 'export const token = process.env.RISK_TOKEN;\n'],
    ['api/routes/insurance/example.ts', 'export const token = process.env.DEMO_UI_TOKEN;\n'],
    ['api/server.ts', 'export const port = process.env.PORT;\n'],
    ['activities/example.ts', 'export const url = process.env.OCKTO_URL;\n'],
    ['db/example.ts', 'export const url = process.env.DATABASE_URL;\n'],
  ])('refuses it in %s: %s', async (file, code) => {
    expect((await problemsIn(file, code)).join('\n')).toMatch(envRule);
  });

  it.each([
    'config/example.ts',
    'scripts/example.ts',
    'simulators/bank/example.ts',
    'test/helpers/example.ts',
    'bench/example.ts',
    'vitest.config.ts',
  ])('leaves %s free to read the environment', async (file) => {
    expect(await problemsIn(file, 'export const url = process.env.DATABASE_URL;\n')).toEqual([]);
  });
});
