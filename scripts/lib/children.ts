/**
 * Child processes for the platform starter: one-shot commands (migrate, seed) and supervised
 * long-running services (worker, API) that are restarted when they die unexpectedly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { writeOut } from './output.js';

/** Runs a TypeScript file with `node --import tsx` (no wrapper process, so the pid is the real one). */
export function spawnTs(
  file: string,
  opts: { cwd: string; env: NodeJS.ProcessEnv; prefix: string; detached?: boolean; args?: string[] },
): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...(opts.args ?? [])], {
    cwd: opts.cwd,
    env: opts.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.detached ?? false,
  });
  pipeLines(child.stdout, 'stdout', opts.prefix);
  pipeLines(child.stderr, 'stderr', opts.prefix);
  return child;
}

/** Copies a child's lines to our own output; a closed output drops them (see output.ts). */
function pipeLines(from: NodeJS.ReadableStream | null, to: 'stdout' | 'stderr', prefix: string): void {
  if (!from) return;
  createInterface({ input: from, crlfDelay: Infinity }).on('line', (line) => writeOut(to, `${prefix} ${line}\n`));
}

/** Runs a one-shot TypeScript command; rejects with its exit code when it fails. */
export function runOnce(file: string, opts: { cwd: string; env: NodeJS.ProcessEnv; prefix: string; args?: string[] }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawnTs(file, opts);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${file} failed (exit code ${code ?? 'none'}${signal ? `, signal ${signal}` : ''})`));
    });
  });
}

/** Sends `signal` to the child's process group when it leads one, else to the child. */
export function signalChild(child: ChildProcess, signal: NodeJS.Signals, group: boolean): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    if (group) process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* gone */
    }
  }
}

/** SIGTERM, wait up to `graceMs`, then SIGKILL; resolves when the child has exited. */
export async function stopChild(child: ChildProcess, group: boolean, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalChild(child, 'SIGTERM', group);
  const timer = setTimeout(() => signalChild(child, 'SIGKILL', group), graceMs);
  await exited;
  clearTimeout(timer);
}

export interface SupervisedOptions {
  name: string;
  file: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  /** Called with the new pid after every (re)start. */
  onStart?: (pid: number) => void;
  /** Called when the service crashed more than `maxRestarts` times within a minute. */
  onGiveUp?: (reason: string) => void;
  maxRestartsPerMinute?: number;
}

/**
 * Keeps a service running: when it exits while we did not ask it to, it is started again after
 * 1 s, doubling up to 16 s for repeated crashes; more than 5 restarts within a minute gives up.
 */
export class Supervised {
  private child: ChildProcess | undefined;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly restarts: number[] = [];

  constructor(private readonly opts: SupervisedOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    const { name, file, cwd, env, log } = this.opts;
    const child = spawnTs(file, { cwd, env, prefix: `[${name}]`, detached: true });
    this.child = child;
    child.once('error', (err) => log(`${name}: could not start ${file}: ${err.message}`));
    if (child.pid !== undefined) this.opts.onStart?.(child.pid);
    child.once('exit', (code, signal) => {
      if (this.stopping) return;
      const now = Date.now();
      while (this.restarts.length && now - (this.restarts[0] ?? 0) > 60_000) this.restarts.shift();
      const max = this.opts.maxRestartsPerMinute ?? 5;
      if (this.restarts.length >= max) {
        const reason = `${name} (pid ${child.pid}) died again (${describeExit(code, signal)}) after ${max} restarts within a minute: giving up`;
        log(reason);
        this.opts.onGiveUp?.(reason);
        return;
      }
      const delay = Math.min(16_000, 1000 * 2 ** this.restarts.length);
      this.restarts.push(now);
      log(`${name} (pid ${child.pid}) exited unexpectedly (${describeExit(code, signal)}); restarting in ${delay / 1000} s`);
      this.restartTimer = setTimeout(() => {
        this.restartTimer = undefined;
        if (!this.stopping) this.start();
      }, delay);
    });
  }

  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    if (this.child) await stopChild(this.child, true, graceMs);
  }

  /** Last-resort synchronous kill (process 'exit' handler). */
  killNow(): void {
    this.stopping = true;
    if (this.child) signalChild(this.child, 'SIGKILL', true);
  }
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `exit code ${code ?? 'none'}`;
}
