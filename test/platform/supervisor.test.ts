/**
 * The `npm start` supervisor (scripts/platform.ts) stops every child — worker, API, the
 * Temporal dev server and embedded PostgreSQL — on SIGINT, SIGTERM and SIGHUP, and when its own
 * stdout closes (`npm start | tee start.log`, Ctrl-C: tee goes first and the next write raises
 * EPIPE). Each case starts the real platform as a child process with its stdout a pipe, waits
 * for the "is running" banner (an event, not a delay), reads the child pids from platform.json,
 * triggers the stop, waits for the supervisor's exit event and then checks that every child
 * pid is gone. No sleeps: every wait is on a process event or an output line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../config/ports.js';
import { projectRoot } from '../../config/settings.js';
import { effectivePostgresDataDir } from '../../db/embedded-postgres.js';

/** A data folder per case, so one case's failure cannot leave state for the next. */
const dataDirs: string[] = [];

afterAll(() => {
  for (const dataDir of dataDirs) {
    // Running as root, the cluster lives in a /var/tmp stand-in for the (private) temp folder;
    // where, is decided by the folder's permissions, so ask before removing the folder.
    const cluster = effectivePostgresDataDir(path.join(dataDir, 'postgres'));
    rmSync(dataDir, { recursive: true, force: true });
    if (cluster !== path.join(dataDir, 'postgres')) rmSync(path.dirname(cluster), { recursive: true, force: true });
  }
});

/** True while a process with this pid exists (signal 0 only checks). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function platformEnv(dataDir: string): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, HOST: '127.0.0.1', LOG_LEVEL: 'info' };
  // Everything embedded and started by the supervisor itself (the suite's shared servers are not ours to stop).
  for (const name of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'SMTP_URL', 'MAIL_UI_URL', 'HDN_GATEWAY_URL', 'OCKTO_URL', 'RISK_URL', 'PUBLIC_URL']) delete env[name];
  // Ten distinct free ports (the OS may hand out a just-closed port twice).
  const taken = new Set<number>();
  for (const name of ['PORT', 'PG_PORT', 'TEMPORAL_PORT', 'TEMPORAL_UI_PORT', 'SMTP_PORT', 'MAIL_UI_PORT', 'LENDER_PORT', 'BANK_PORT', 'OCKTO_PORT', 'RISK_PORT']) {
    let port = await freePort();
    while (taken.has(port)) port = await freePort();
    taken.add(port);
    env[name] = String(port);
  }
  return env;
}

interface Started {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  pids: Record<string, number>;
  apiUrl: string;
  stderr: string[];
  /** Resolves with the first line of its stdout that matches, printed already or to come (rejects when it exits first). */
  nextLine: (pattern: RegExp) => Promise<string>;
}

/**
 * Starts the supervisor and resolves once it printed its banner (or rejects when it exits first).
 * The ten ports are picked free before the platform binds them; in a full run another test's
 * server (or a port the Temporal CLI picks for itself) may take one in between. That start fails
 * with EADDRINUSE, as it should for a user, and says nothing about stopping: the case starts again
 * on new ports, a few times at most.
 */
async function startPlatform(extraEnv: Record<string, string> = {}): Promise<Started> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startPlatformOnce(extraEnv);
    } catch (err) {
      if (attempt >= 3 || !(err instanceof Error) || !err.message.includes('EADDRINUSE')) throw err;
    }
  }
}

async function startPlatformOnce(extraEnv: Record<string, string>): Promise<Started> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'dossierflow-supervisor-'));
  dataDirs.push(dataDir);
  const env = { ...(await platformEnv(dataDir)), ...extraEnv };
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/platform.ts'], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  createInterface({ input: child.stderr!, crlfDelay: Infinity }).on('line', (line) => {
    stderr.push(line);
    if (stderr.length > 200) stderr.shift();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const output: string[] = [];
  const waiting: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const banner = new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout!, crlfDelay: Infinity });
    lines.on('line', (line) => {
      output.push(line);
      if (line.includes('dossierflow is running')) resolve();
      for (const w of waiting.filter((x) => x.pattern.test(line))) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(line);
      }
    });
    void exited.then(({ code, signal }) =>
      reject(new Error(`the platform exited before it was running (code ${code}, signal ${signal})\n${output.slice(-40).join('\n')}\n${stderr.slice(-40).join('\n')}`)),
    );
  });
  await banner;
  const state = JSON.parse(readFileSync(path.join(dataDir, 'platform.json'), 'utf8')) as { api: string; pids: Record<string, number | undefined> };
  const pids = Object.fromEntries(Object.entries(state.pids).filter((e): e is [string, number] => typeof e[1] === 'number'));
  const nextLine = (pattern: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const printed = output.find((line) => pattern.test(line));
      if (printed !== undefined) return resolve(printed);
      waiting.push({ pattern, resolve });
      void exited.then(() => reject(new Error(`the platform exited before printing ${String(pattern)}\n${output.slice(-40).join('\n')}`)));
    });
  return { child, exited, pids, apiUrl: state.api, stderr, nextLine };
}

/** A GET on a new connection each time (no keep-alive), so the kernel picks a listening replica anew. */
async function statusOn(url: string): Promise<number> {
  const res = await fetch(url, { headers: { connection: 'close' } });
  await res.arrayBuffer();
  return res.status;
}

const triggers = ['SIGINT', 'SIGTERM', 'SIGHUP', 'stdout closed'] as const;

describe('npm start supervisor', () => {
  for (const trigger of triggers) {
    it(`stops every child, the Temporal dev server included, on ${trigger}`, async () => {
      const platform = await startPlatform();
      try {
        // Every child the supervisor starts, each a real running process.
        expect(Object.keys(platform.pids).sort()).toEqual(['api', 'postgres', 'temporal', 'worker']);
        for (const pid of Object.values(platform.pids)) expect(alive(pid)).toBe(true);

        if (trigger === 'stdout closed') {
          // The reader of its stdout goes away (tee ended by Ctrl-C, `| head`): the next line it
          // writes hits the closed pipe. A request makes the API log a line through it (its
          // answer does not matter: the worker's own lines may have got there first).
          platform.child.stdout!.destroy();
          await fetch(`${platform.apiUrl}/health/live`).catch(() => undefined);
        } else {
          platform.child.kill(trigger);
        }
        const exit = await platform.exited;
        expect(exit, platform.stderr.slice(-40).join('\n')).toEqual({ code: 0, signal: null });
        for (const [name, pid] of Object.entries(platform.pids)) expect(alive(pid), `${name} (pid ${pid}) still running`).toBe(false);
        // The Temporal dev server runs in its own process group: nothing of it is left either.
        expect(alive(-platform.pids.temporal!), 'Temporal process group').toBe(false);
      } finally {
        // After a failed check: let the supervisor stop its children in order, then make sure.
        if (platform.child.exitCode === null && platform.child.signalCode === null) {
          platform.child.kill('SIGTERM');
          await platform.exited;
        }
        for (const pid of Object.values(platform.pids)) if (alive(pid)) process.kill(pid, 'SIGKILL');
      }
    }, 240_000);
  }

  it('runs 2 workers and 2 API replicas on one port; killing one of each leaves the platform answering, and both come back', async () => {
    const platform = await startPlatform({ WORKERS: '2', API_REPLICAS: '2' });
    try {
      expect(Object.keys(platform.pids).sort()).toEqual(['api', 'api-2', 'postgres', 'temporal', 'worker', 'worker-2']);
      for (const pid of Object.values(platform.pids)) expect(alive(pid)).toBe(true);
      // Both replicas listen (each its own log line) before one of them is killed.
      await Promise.all(['api', 'api-2'].map((name) => platform.nextLine(new RegExp(`^\\[${name}\\] .*API listening`))));

      // One API replica dies hard: the supervisor notices (its line), the other answers meanwhile.
      const apiGone = platform.nextLine(new RegExp(`\\[platform\\] api \\(pid ${platform.pids.api}\\) exited unexpectedly`));
      process.kill(platform.pids.api!, 'SIGKILL');
      await apiGone;
      const apiBack = platform.nextLine(/\[platform\] api restarted, pid \d+/);
      for (let i = 0; i < 10; i += 1) expect(await statusOn(`${platform.apiUrl}/health/live`)).toBe(200);
      // Ready = PostgreSQL and Temporal reachable from the replica that answers.
      expect(await statusOn(`${platform.apiUrl}/health/ready`)).toBe(200);

      // One worker dies hard: restarted; the API answers throughout.
      const workerGone = platform.nextLine(new RegExp(`\\[platform\\] worker-2 \\(pid ${platform.pids['worker-2']}\\) exited unexpectedly`));
      process.kill(platform.pids['worker-2']!, 'SIGKILL');
      await workerGone;
      expect(await statusOn(`${platform.apiUrl}/health/ready`)).toBe(200);
      const [apiLine, workerLine] = await Promise.all([apiBack, platform.nextLine(/\[platform\] worker-2 restarted, pid \d+/)]);
      const newApi = Number(/pid (\d+)/.exec(apiLine)![1]);
      const newWorker = Number(/pid (\d+)/.exec(workerLine)![1]);
      expect(newApi).not.toBe(platform.pids.api);
      expect(alive(newApi) && alive(newWorker)).toBe(true);

      platform.child.kill('SIGTERM');
      const exit = await platform.exited;
      expect(exit, platform.stderr.slice(-40).join('\n')).toEqual({ code: 0, signal: null });
      for (const [name, pid] of Object.entries({ ...platform.pids, api: newApi, 'worker-2': newWorker })) {
        expect(alive(pid), `${name} (pid ${pid}) still running`).toBe(false);
      }
    } finally {
      if (platform.child.exitCode === null && platform.child.signalCode === null) {
        platform.child.kill('SIGTERM');
        await platform.exited;
      }
      for (const pid of Object.values(platform.pids)) if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
  }, 300_000);
});
