/**
 * docker-compose.yml is the production-shaped deployment. No Docker engine runs here, so it is
 * checked the way `docker compose config` checks it (the real Compose CLI: schema, interpolation,
 * dependencies), plus what the deployment must contain.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../config/settings.js';
import { dockerComposeCommand } from '../../integrations/temporal/tools.js';

const run = promisify(execFile);
const [command, ...baseArgs] = dockerComposeCommand();

async function composeConfig(env: Record<string, string>): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  const cleanEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env };
  try {
    const { stdout, stderr } = await run(command!, [...baseArgs, '-f', 'docker-compose.yml', 'config', '--format', 'json'], {
      cwd: projectRoot,
      env: cleanEnv,
    });
    return { ok: true, stdout, stderr };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return { ok: false, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
}

describe('docker-compose.yml', () => {
  it('is valid for docker compose and has the production shape', async () => {
    const result = await composeConfig({ POSTGRES_PASSWORD: 'secret', SMTP_URL: 'smtp://relay.example.nl:587' });
    expect(result.ok, result.stderr).toBe(true);
    const config = JSON.parse(result.stdout) as { services: Record<string, ComposeService> };
    const s = config.services;

    expect(Object.keys(s)).toEqual(expect.arrayContaining(['postgresql', 'temporal', 'temporal-ui', 'migrate', 'worker', 'api']));
    // Temporal persists in PostgreSQL, not in a dev-server file.
    expect(s.temporal?.image).toMatch(/^temporalio\/server:/);
    expect(s.temporal?.environment?.DB).toBe('postgres12');
    expect(s.temporal?.environment?.POSTGRES_SEEDS).toBe('postgresql');
    expect(s['temporal-ui']?.environment?.TEMPORAL_ADDRESS).toBe('temporal:7233');
    // API and worker are built from the project's Dockerfile and wait for the migrations.
    expect(s.migrate?.build).toBeDefined();
    for (const name of ['api', 'worker'] as const) {
      expect(s[name]?.image).toBe(s.migrate?.image);
      expect(s[name]?.depends_on?.migrate?.condition).toBe('service_completed_successfully');
      expect(s[name]?.environment?.DATABASE_URL).toBe('postgres://dossierflow:secret@postgresql:5432/dossierflow');
      expect(s[name]?.environment?.TEMPORAL_ADDRESS).toBe('temporal:7233');
    }
    expect(s.worker?.command).toEqual(['node', '--import', 'tsx', 'activities/worker.ts']);
    expect(s.migrate?.command).toEqual(['node', '--import', 'tsx', 'db/migrate.ts']);
  });

  it('refuses to render without the secrets, naming each', async () => {
    const result = await composeConfig({});
    expect(result.ok).toBe(false);
    expect(result.stderr).toMatch(/POSTGRES_PASSWORD/);
    expect(result.stderr).toMatch(/SMTP_URL/);
  });

  it('scales the workers with WORKERS (one by default)', async () => {
    const replicasOf = async (env: Record<string, string>) => {
      const result = await composeConfig({ POSTGRES_PASSWORD: 'secret', SMTP_URL: 'smtp://relay.example.nl:587', ...env });
      expect(result.ok, result.stderr).toBe(true);
      return (JSON.parse(result.stdout) as { services: Record<string, { deploy?: { replicas?: number } }> }).services.worker?.deploy?.replicas;
    };
    expect(await replicasOf({})).toBe(1);
    expect(await replicasOf({ WORKERS: '3' })).toBe(3);
  });
});
