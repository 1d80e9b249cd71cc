import { describe, expect, it } from 'vitest';
import { loadSettings, SettingsError } from './settings.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadSettings(env);
    return [];
  } catch (err) {
    if (err instanceof SettingsError) return err.problems;
    throw err;
  }
}

describe('loadSettings', () => {
  it('has safe defaults for an empty environment', () => {
    const s = loadSettings({});
    expect(s).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      pgPort: 5433,
      temporalPort: 7233,
      temporalUiPort: 8233,
      temporalNamespace: 'default',
      taskQueue: 'dossierflow',
      smtpPort: 2525,
      mailUiPort: 8025,
      logLevel: 'info',
    });
    expect(s.databaseUrl).toBeUndefined();
    expect(s.temporalAddress).toBeUndefined();
    expect(s.dataDir).toMatch(/\.data$/);
  });

  it('reads what is set', () => {
    const s = loadSettings({
      PORT: '8080',
      DATABASE_URL: 'postgres://u:p@db:5432/x',
      TEMPORAL_ADDRESS: 'temporal:7233',
      SMTP_URL: 'smtp://relay:587',
      LOG_LEVEL: 'DEBUG',
      CREDITOR_ID: 'NL00ZZZ123456780000',
    });
    expect(s).toMatchObject({ port: 8080, databaseUrl: 'postgres://u:p@db:5432/x', temporalAddress: 'temporal:7233', smtpUrl: 'smtp://relay:587', logLevel: 'debug' });
  });

  it.each([
    [{ PORT: 'abc' }, /^PORT: must be an integer 1-65535, got "abc"$/],
    [{ PORT: '70000' }, /^PORT: must be an integer 1-65535/],
    [{ PG_PORT: '0' }, /^PG_PORT: must be an integer 1-65535/],
    [{ DATABASE_URL: 'mysql://x/y' }, /^DATABASE_URL: must be a URL starting with postgres:\/\/ or postgresql:\/\//],
    [{ DATABASE_URL: 'not a url' }, /^DATABASE_URL: must be a valid URL/],
    [{ TEMPORAL_ADDRESS: 'http://temporal:7233' }, /^TEMPORAL_ADDRESS: must be host:port/],
    [{ SMTP_URL: 'http://relay' }, /^SMTP_URL: must be a URL starting with smtp:\/\/ or smtps:\/\//],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent, got "loud"$/],
    [{ MAIL_FROM: 'nobody' }, /^MAIL_FROM: must contain an e-mail address/],
    [{ CREDITOR_ID: '123' }, /^CREDITOR_ID: must be a SEPA creditor identifier/],
    [{ TEMPORAL_CLI: '/nonexistent/temporal' }, /^TEMPORAL_CLI: must be the path of an existing temporal binary/],
  ])('refuses %o with a message naming the variable', (env, expected) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
  });

  it('reports every bad value at once', () => {
    const problems = problemsOf({ PORT: 'x', SMTP_PORT: '-1', LOG_LEVEL: 'loud' });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['LOG_LEVEL', 'PORT', 'SMTP_PORT']);
    expect(() => loadSettings({ PORT: 'x' })).toThrow(/Invalid settings \(1 problem\):\n {2}- PORT/);
  });
});
